#include "gl/program.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace app::gl {

namespace {

// PLANATLAS_SHADER_DIR lets a developer edit shaders without rebuilding.
std::string shaderSource(const std::string& file) {
    if (const char* dir = std::getenv("PLANATLAS_SHADER_DIR")) {
        std::ifstream in(std::string(dir) + "/" + file);
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            return ss.str();
        }
    }
    const char* src = embeddedShader(file);
    if (!src) throw std::runtime_error("shader " + file + " is not embedded in this build");
    return src;
}

GLuint compile(GLenum type, const std::string& file) {
    std::string src = shaderSource(file);
    GLuint s = glCreateShader(type);
    const char* p = src.c_str();
    glShaderSource(s, 1, &p, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        GLint len = 0;
        glGetShaderiv(s, GL_INFO_LOG_LENGTH, &len);
        std::vector<char> log(std::max(1, len));
        glGetShaderInfoLog(s, len, nullptr, log.data());
        glDeleteShader(s);
        throw std::runtime_error("shader " + file + " failed to compile: " + std::string(log.data()));
    }
    return s;
}

}  // namespace

Program::Program(const std::string& name) : Program(name, name) {}

Program::Program(const std::string& vertexName, const std::string& fragmentName) {
    const std::string name = vertexName == fragmentName ? vertexName : vertexName + "+" + fragmentName;
    GLuint vs = compile(GL_VERTEX_SHADER, vertexName + ".vert");
    GLuint fs = 0;
    try {
        fs = compile(GL_FRAGMENT_SHADER, fragmentName + ".frag");
    } catch (...) {
        glDeleteShader(vs);
        throw;
    }
    program_ = ProgramHandle(glCreateProgram());
    glAttachShader(program_.id(), vs);
    glAttachShader(program_.id(), fs);
    glLinkProgram(program_.id());
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(program_.id(), GL_LINK_STATUS, &ok);
    if (!ok) {
        GLint len = 0;
        glGetProgramiv(program_.id(), GL_INFO_LOG_LENGTH, &len);
        std::vector<char> log(std::max(1, len));
        glGetProgramInfoLog(program_.id(), len, nullptr, log.data());
        throw std::runtime_error("shader program " + name + " failed to link: " + std::string(log.data()));
    }
}

}  // namespace app::gl
