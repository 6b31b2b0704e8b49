#pragma once
// Writes small AutoCAD R12 (AC1009) DXF files for tests: LINE, POLYLINE (open or closed), TEXT, and blocks with
// INSERT. Strings are written as given, so a test can write GBK bytes under "$DWGCODEPAGE ANSI_936" the way
// Chinese AutoCAD releases before 2007 did.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace test {

class DxfWriter {
public:
    // `codepage`: the header's $DWGCODEPAGE ("" = none, which GDAL reads as ANSI_1252).
    explicit DxfWriter(std::string codepage = "") : codepage_(std::move(codepage)) {}

    void line(const std::string& layer, double x0, double y0, double x1, double y1) {
        entity("LINE", layer);
        point(10, x0, y0);
        point(11, x1, y1);
    }
    void polyline(const std::string& layer, const std::vector<std::pair<double, double>>& xy, bool closed) {
        entity("POLYLINE", layer);
        group(66, "1");  // vertices follow
        group(70, closed ? "1" : "0");
        point(10, 0, 0);
        for (const auto& [x, y] : xy) {
            entity("VERTEX", layer);
            point(10, x, y);
        }
        entity("SEQEND", layer);
    }
    void text(const std::string& layer, double x, double y, double height, const std::string& bytes) {
        entity("TEXT", layer);
        point(10, x, y);
        group(40, number(height));
        group(1, bytes);
    }
    // Entities written between beginBlock and endBlock form the block (in its own coordinates, layer "0").
    void beginBlock(const std::string& name) {
        inBlock_ = true;
        entity("BLOCK", "0");
        group(2, name);
        group(70, "0");
        point(10, 0, 0);
    }
    void endBlock() {
        entity("ENDBLK", "0");
        inBlock_ = false;
    }
    void insert(const std::string& layer, const std::string& block, double x, double y, double scale,
                double rotationDegrees) {
        entity("INSERT", layer);
        group(2, block);
        point(10, x, y);
        group(41, number(scale));
        group(42, number(scale));
        group(50, number(rotationDegrees));
    }

    std::string str() const {
        std::string s = "0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1009\n";
        if (!codepage_.empty()) s += "9\n$DWGCODEPAGE\n3\n" + codepage_ + "\n";
        s += "0\nENDSEC\n0\nSECTION\n2\nBLOCKS\n" + blocks_ + "0\nENDSEC\n";
        s += "0\nSECTION\n2\nENTITIES\n" + entities_ + "0\nENDSEC\n0\nEOF\n";
        return s;
    }

private:
    static std::string number(double v) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        return buf;
    }
    void group(int code, const std::string& value) {
        (inBlock_ ? blocks_ : entities_) += std::to_string(code) + "\n" + value + "\n";
    }
    void entity(const char* type, const std::string& layer) {
        group(0, type);
        group(8, layer);
    }
    void point(int code, double x, double y) {
        group(code, number(x));
        group(code + 10, number(y));
        group(code + 20, "0");
    }

    std::string codepage_;
    std::string blocks_, entities_;
    bool inBlock_ = false;
};

}  // namespace test
