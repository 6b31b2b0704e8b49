# PLANATLAS_FUZZ=ON: checks that the compiler is clang with libFuzzer, then instruments every target for coverage.
# The fuzz_* executables themselves are made in tests/fuzz/CMakeLists.txt (they link -fsanitize=fuzzer).
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR
    "PLANATLAS_FUZZ=ON needs clang with libFuzzer, but the C++ compiler is ${CMAKE_CXX_COMPILER_ID} "
    "(${CMAKE_CXX_COMPILER}). Configure a fresh build folder with "
    "-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ (Debian: apt install clang libclang-rt-dev).")
endif()

include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS -fsanitize=fuzzer)
set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=fuzzer)
check_cxx_source_compiles([=[
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }
]=] PLANATLAS_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT PLANATLAS_HAVE_LIBFUZZER)
  message(FATAL_ERROR
    "PLANATLAS_FUZZ=ON: ${CMAKE_CXX_COMPILER} cannot link -fsanitize=fuzzer; install libFuzzer's runtime "
    "(Debian: libclang-rt-14-dev for clang 14).")
endif()

# Coverage for the fuzzers' feedback. Linking with -fsanitize=fuzzer-no-link brings the sanitizer runtime that
# defines the coverage callbacks, so the other executables (tests, the viewer) still link and run.
add_compile_options(-fsanitize=fuzzer-no-link)
add_link_options(-fsanitize=fuzzer-no-link)
