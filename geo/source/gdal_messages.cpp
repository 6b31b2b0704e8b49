#include "source/gdal_messages.hpp"

#include <algorithm>
#include <cstdio>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>

namespace geo {

namespace {

thread_local std::vector<GdalMessageScope*> tlsScopes;

void CPL_STDCALL routeMessage(CPLErr level, CPLErrorNum, const char* message) {
    if (level == CE_Debug) {
        // Only asked for (CPL_DEBUG=ON), and then in GDAL's own form: it is a developer's trace.
        if (CPLTestBool(CPLGetConfigOption("CPL_DEBUG", "NO"))) std::fprintf(stderr, "GDAL debug: %s\n", message);
        return;
    }
    if (level == CE_None) return;
    const std::string line = gdalMessageLine(message);
    if (!tlsScopes.empty()) {
        tlsScopes.back()->add(level >= CE_Failure, line);
        return;
    }
    std::fprintf(stderr, "planatlas: GDAL %s: %s\n", level >= CE_Failure ? "error" : "warning", line.c_str());
}

}  // namespace

GdalMessageScope::GdalMessageScope() { tlsScopes.push_back(this); }

GdalMessageScope::~GdalMessageScope() {
    // Scopes nest strictly (they are locals), but stay correct if one outlives a later one.
    for (size_t i = tlsScopes.size(); i-- > 0;)
        if (tlsScopes[i] == this) {
            tlsScopes.erase(tlsScopes.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
}

void GdalMessageScope::add(bool failure, const std::string& oneLine) {
    ++count_;
    failures_ += failure;
    if (kept_.size() >= kKept) return;
    for (const std::string& k : kept_)
        if (k == oneLine) return;
    kept_.push_back(oneLine);
}

void GdalMessageScope::passOn() {
    for (size_t i = tlsScopes.size(); i-- > 1;)
        if (tlsScopes[i] == this) {
            tlsScopes[i - 1]->merge(*this);
            break;
        }
    clear();
}

void GdalMessageScope::merge(const GdalMessageScope& inner) {
    for (const std::string& m : inner.kept_)
        if (kept_.size() < kKept && std::find(kept_.begin(), kept_.end(), m) == kept_.end()) kept_.push_back(m);
    count_ += inner.count_;
    failures_ += inner.failures_;
}

std::string GdalMessageScope::summary() const {
    if (kept_.empty()) return "";
    std::string s = kept_.front();
    if (count_ > 1) s += " (and " + std::to_string(count_ - 1) + " more GDAL message" + (count_ > 2 ? "s" : "") + ")";
    return s;
}

void GdalMessageScope::clear() {
    count_ = failures_ = 0;
    kept_.clear();
}

void installGdalMessageHandler() { CPLSetErrorHandler(routeMessage); }

std::string gdalMessageLine(const char* message, size_t maxChars) {
    std::string out;
    bool space = false;
    for (const char* p = message ? message : ""; *p; ++p) {
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (c < 0x20) continue;  // other control characters: never echoed to a terminal
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(c);
        if (out.size() >= maxChars) {
            // Cut on a UTF-8 character boundary.
            while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
            if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
            return out + "...";
        }
    }
    return out;
}

}  // namespace geo
