// The UTF-8 check and the encoding sniffer of vector_source.hpp.
#include "source/vector_source.hpp"

namespace geo {

bool isValidUtf8(std::string_view s) {
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > n) return false;
        for (int k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        if (len == 2 && c < 0xC2) return false;  // overlong
        i += len;
    }
    return true;
}

void EncodingSniffer::add(std::string_view v) {
    if (!isValidUtf8(v)) {
        ++invalid_;
        return;
    }
    for (unsigned char c : v) {
        if ((c >> 5) == 0x6) ++twoByte_;
        if ((c >> 4) == 0xE || (c >> 3) == 0x1E) ++longer_;
    }
}

}  // namespace geo
