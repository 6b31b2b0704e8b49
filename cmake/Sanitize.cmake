# Sanitized builds (README "Tests"). PLANATLAS_SANITIZE=ON means AddressSanitizer + UndefinedBehaviorSanitizer,
# `thread` ThreadSanitizer; any other value is passed to -fsanitize= as given (e.g. address,undefined).
# Every finding is fatal: UBSan does not recover, and the runtime options compiled into each executable
# (tests/sanitizers/default_options.cpp.in) keep leak checking on with the suppressions in tests/sanitizers/.
set(PLANATLAS_SANITIZE "" CACHE STRING "Sanitizers: ON (address,undefined), thread, or a -fsanitize= list (empty: none)")
string(TOLOWER "${PLANATLAS_SANITIZE}" PLANATLAS_SANITIZERS)
if(PLANATLAS_SANITIZERS MATCHES "^(on|yes|true|1)$")
  set(PLANATLAS_SANITIZERS address,undefined)
elseif(PLANATLAS_SANITIZERS MATCHES "^(off|no|false|0)?$")
  set(PLANATLAS_SANITIZERS "")
endif()

set(PLANATLAS_TIME_FACTOR 1)
if(PLANATLAS_SANITIZERS)
  string(REPLACE "," ";" _planatlas_san_list "${PLANATLAS_SANITIZERS}")
  if("thread" IN_LIST _planatlas_san_list AND "address" IN_LIST _planatlas_san_list)
    message(FATAL_ERROR "PLANATLAS_SANITIZE: ThreadSanitizer cannot be combined with AddressSanitizer")
  endif()
  add_compile_options(-fsanitize=${PLANATLAS_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${PLANATLAS_SANITIZERS})
  # Memory bounds in tests are multiplied by PLANATLAS_SANITIZED (ASan's shadow memory and quarantine: the 20000²
  # export peaks at ~812 MiB against 600 in a plain build, still well under the 1.6 GB a whole image would take);
  # time limits by PLANATLAS_TIME_FACTOR (every test's TIMEOUT, and the per-case limits passed to test scripts).
  if("thread" IN_LIST _planatlas_san_list)
    add_compile_definitions(PLANATLAS_SANITIZED=4)
    set(PLANATLAS_TIME_FACTOR 10)
  else()
    add_compile_definitions(PLANATLAS_SANITIZED=2)
    set(PLANATLAS_TIME_FACTOR 4)
  endif()
  message(STATUS "Sanitizers: ${PLANATLAS_SANITIZERS}")
endif()

# Gives every executable of the build the sanitizer runtime defaults (suppression files, fatal reports), so the
# tests, the shell tests' child processes and a hand-run binary behave alike. Call once, after every target exists.
function(planatlas_sanitizer_defaults)
  if(NOT PLANATLAS_SANITIZERS)
    return()
  endif()
  set(src ${PROJECT_BINARY_DIR}/sanitizer_default_options.cpp)
  set(PLANATLAS_SANITIZER_DIR ${PROJECT_SOURCE_DIR}/tests/sanitizers)
  configure_file(${PROJECT_SOURCE_DIR}/tests/sanitizers/default_options.cpp.in ${src} @ONLY)
  set(dirs ${PROJECT_SOURCE_DIR})
  while(dirs)
    list(POP_FRONT dirs dir)
    get_property(sub DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    list(APPEND dirs ${sub})
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(t IN LISTS targets)
      get_target_property(type ${t} TYPE)
      if(type STREQUAL "EXECUTABLE")
        target_sources(${t} PRIVATE ${src})
      endif()
    endforeach()
  endwhile()
endfunction()

# Multiplies the TIMEOUT of every test the calling directory added with add_test by PLANATLAS_TIME_FACTOR. A
# directory defers it to its end: cmake_language(DEFER CALL planatlas_scale_test_timeouts). gtest_discover_tests
# sets its tests' properties at discovery, so a gtest test's TIMEOUT stays as given.
function(planatlas_scale_test_timeouts)
  if(PLANATLAS_TIME_FACTOR EQUAL 1)
    return()
  endif()
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(t IN LISTS tests)
    get_test_property(${t} TIMEOUT seconds)
    if(seconds)
      math(EXPR seconds "${seconds} * ${PLANATLAS_TIME_FACTOR}")
      set_tests_properties(${t} PROPERTIES TIMEOUT ${seconds})
    endif()
  endforeach()
endfunction()
