#pragma once
// Shared by the fuzz_* targets: GDAL set up once and quiet, inputs as GDAL in-memory files, and a check that
// aborts (a libFuzzer finding) with a message when an invariant of our code does not hold.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>

#include "source/gdal_handles.hpp"

namespace fuzz {

// Registers GDAL's drivers and keeps GDAL's messages off stderr (the code under test turns them into errors).
inline void initGdal() {
    geo::ensureGdal();
    CPLSetErrorHandler(CPLQuietErrorHandler);
}

// An invariant of the code under test; a violation is a finding like a crash.
#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                     \
        }                                                                                     \
    } while (0)

// A /vsimem/ file holding a copy of `bytes`, removed (with any sidecars GDAL made beside it) on destruction.
class MemFile {
public:
    MemFile(std::string path, const void* bytes, size_t size) : path_(std::move(path)) {
        auto* copy = static_cast<GByte*>(CPLMalloc(size ? size : 1));
        if (size) std::memcpy(copy, bytes, size);
        VSIFCloseL(VSIFileFromMemBuffer(path_.c_str(), copy, size, TRUE));
    }
    ~MemFile() {
        VSIUnlink(path_.c_str());
        for (const char* tail : {"-journal", "-wal", "-shm", ".aux.xml"}) VSIUnlink((path_ + tail).c_str());
    }
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace fuzz
