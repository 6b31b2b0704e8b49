# Generates a C++ source that embeds every shader file as a string (run at build time by add_custom_command).
# Usage: cmake -DOUT=file.cpp -DSHADER_DIR=shaders -P embed_shaders.cmake
file(GLOB SHADERS ${SHADER_DIR}/*.vert ${SHADER_DIR}/*.frag)
list(SORT SHADERS)
set(content "// Generated from shaders/ by cmake/embed_shaders.cmake. Do not edit.\n#include <cstring>\n#include <string>\n\nnamespace app::gl {\n\nnamespace {\nstruct Embedded { const char* name; const char* source; };\nconst Embedded kShaders[] = {\n")
foreach(f IN LISTS SHADERS)
  get_filename_component(name "${f}" NAME)
  file(READ "${f}" src)
  set(content "${content}    {\"${name}\", R\"planatlas_glsl(${src})planatlas_glsl\"},\n")
endforeach()
set(content "${content}};\n}  // namespace\n\nconst char* embeddedShader(const std::string& file) {\n    for (const auto& s : kShaders)\n        if (file == s.name) return s.source;\n    return nullptr;\n}\n\n}  // namespace app::gl\n")
file(WRITE "${OUT}.tmp" "${content}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
