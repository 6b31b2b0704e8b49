#pragma once
// Background work: a Job carries progress and a cancel flag shared between the worker that runs it and the
// thread that watches it. Work checks `throwIfCancelled()` between chunks; the result is handed back on the main
// thread by the app's worker pool (app/ui/worker_pool.hpp), tagged with a generation id so stale results are
// dropped. geo itself queues nothing.
#include <atomic>
#include <mutex>
#include <string>

#include "core/error.hpp"

namespace geo {

class JobProgress {
public:
    void set(float fraction, const char* stage = nullptr) {
        progress_.store(fraction, std::memory_order_relaxed);
        if (stage) {
            std::lock_guard<std::mutex> lock(mutex_);
            stage_ = stage;
        }
    }
    float fraction() const { return progress_.load(std::memory_order_relaxed); }
    std::string stage() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return stage_;
    }
    void cancel() { cancel_.store(true); }
    bool cancelled() const { return cancel_.load(std::memory_order_relaxed); }
    // The flag itself, for blocking calls that poll it (HTTP requests).
    const std::atomic<bool>* cancelFlag() const { return &cancel_; }
    void throwIfCancelled() const {
        if (cancelled()) throw Cancelled();
    }

private:
    std::atomic<float> progress_{0.0f};
    std::atomic<bool> cancel_{false};
    mutable std::mutex mutex_;
    std::string stage_;
};

// GDALProgressFunc adapter: forwards progress and stops GDAL once the job is cancelled.
int gdalProgress(double complete, const char* message, void* jobProgress);

}  // namespace geo
