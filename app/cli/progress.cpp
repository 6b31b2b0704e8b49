#include "cli/progress.hpp"

#include <chrono>
#include <cstdio>

namespace app::cli {

StderrProgress::StderrProgress(std::string prefix, std::string label)
    : prefix_(std::move(prefix)), label_(std::move(label)), watcher_([this] { watch(); }) {}

StderrProgress::~StderrProgress() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    watcher_.join();
    if (printed_) std::fprintf(stderr, "%s: %s: done\n", prefix_.c_str(), label_.c_str());
}

void StderrProgress::setLabel(std::string label) {
    std::lock_guard<std::mutex> lock(mutex_);
    label_ = std::move(label);
}

void StderrProgress::watch() {
    using namespace std::chrono;
    std::unique_lock<std::mutex> lock(mutex_);
    auto next = steady_clock::now() + duration_cast<steady_clock::duration>(duration<double>(kQuietSeconds));
    while (!wake_.wait_until(lock, next, [this] { return stop_; })) {
        const std::string stage = job_.stage();
        std::fprintf(stderr, "%s: %s: %.0f%%%s\n", prefix_.c_str(), label_.c_str(), 100.0 * job_.fraction(),
                     stage.empty() ? "" : (" (" + stage + ")").c_str());
        printed_ = true;
        next = steady_clock::now() + seconds(5);
    }
}

}  // namespace app::cli
