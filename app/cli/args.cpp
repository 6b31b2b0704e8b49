#include "cli/args.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "export/limits.hpp"

namespace app::cli {

Args::Args(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) items_.emplace_back(argv[i]);
    used_.assign(items_.size(), false);
}

std::optional<std::string> Args::take(const std::string& name) {
    for (size_t i = 0; i < items_.size(); ++i) {
        if (used_[i]) continue;
        if (items_[i] == name) {
            if (i + 1 >= items_.size()) throw UsageError(name + " needs a value");
            used_[i] = used_[i + 1] = true;
            return items_[i + 1];
        }
        if (items_[i].rfind(name + "=", 0) == 0) {
            used_[i] = true;
            return items_[i].substr(name.size() + 1);
        }
    }
    return std::nullopt;
}

bool Args::flag(const std::string& name) {
    for (size_t i = 0; i < items_.size(); ++i)
        if (!used_[i] && items_[i] == name) return used_[i] = true;
    return false;
}

std::vector<std::string> Args::rest() const {
    std::vector<std::string> out;
    for (size_t i = 0; i < items_.size(); ++i) {
        if (used_[i]) continue;
        if (items_[i].size() > 1 && items_[i][0] == '-') throw UsageError("unknown option " + items_[i]);
        out.push_back(items_[i]);
    }
    return out;
}

std::optional<SwipeOption> takeSwipe(Args& args) {
    auto at = args.take("--swipe");
    auto left = args.take("--swipe-left"), right = args.take("--swipe-right");
    if (!at) {
        if (left || right) throw UsageError("--swipe-left/--swipe-right need --swipe X");
        return std::nullopt;
    }
    SwipeOption o;
    char* end = nullptr;
    o.position = std::strtod(at->c_str(), &end);
    if (at->empty() || *end || !(o.position >= 0 && o.position <= 1))
        throw UsageError("--swipe takes the divider's place as a fraction of the width, 0..1 (e.g. 0.5)");
    o.left = left;
    o.right = right;
    return o;
}

geo::Swipe resolveSwipe(const SwipeOption& option, const geo::Project& project, geo::Swipe base) {
    auto names = [&](const std::string& list, const char* flag) {
        std::vector<std::string> out;
        size_t start = 0;
        while (start <= list.size()) {
            size_t comma = list.find(',', start);
            std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!name.empty()) {
                bool known = false;
                for (const auto& l : project.layers) known = known || l.name == name;
                if (!known) throw UsageError(std::string(flag) + ": no layer named '" + name + "'");
                out.push_back(name);
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        return out;
    };
    geo::Swipe s = std::move(base);
    s.enabled = true;
    s.position = option.position;
    if (option.left) s.left = names(*option.left, "--swipe-left");
    if (option.right) s.right = names(*option.right, "--swipe-right");
    if (s.left.empty() && s.right.empty())
        throw UsageError("--swipe: the project names no swipe layers; give --swipe-left and/or --swipe-right");
    return s;
}

geo::BBox parseBBox(const std::string& text) {
    std::stringstream ss(text);
    std::string part;
    double v[4];
    int n = 0;
    while (std::getline(ss, part, ',')) {
        if (n >= 4) throw UsageError("--bbox needs 4 numbers: minx,miny,maxx,maxy");
        char* end = nullptr;
        v[n] = std::strtod(part.c_str(), &end);
        if (part.empty() || *end || !std::isfinite(v[n])) throw UsageError("--bbox: '" + part + "' is not a number");
        ++n;
    }
    if (n != 4) throw UsageError("--bbox needs 4 numbers: minx,miny,maxx,maxy");
    if (!(v[0] < v[2] && v[1] < v[3])) throw UsageError("--bbox: min must be less than max");
    geo::BBox b;
    b.add(v[0], v[1]);
    b.add(v[2], v[3]);
    return b;
}

void checkSize(long long width, long long height, const std::string& route) {
    if (auto problem = geo::outputSizeProblem(width, height)) throw UsageError(route + ": " + *problem);
}

void parseSize(const std::string& text, int& width, int& height) {
    size_t x = text.find_first_of("xX");
    if (x == std::string::npos) throw UsageError("--size must look like 1920x1080");
    char* e1 = nullptr;
    char* e2 = nullptr;
    std::string a = text.substr(0, x), b = text.substr(x + 1);
    long w = std::strtol(a.c_str(), &e1, 10), h = std::strtol(b.c_str(), &e2, 10);
    if (a.empty() || b.empty() || *e1 || *e2) throw UsageError("--size must look like 1920x1080");
    checkSize(w, h, "--size " + text);
    width = static_cast<int>(w);
    height = static_cast<int>(h);
}

}  // namespace app::cli
