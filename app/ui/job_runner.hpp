#pragma once
// Runs background jobs on worker threads and hands their results back on the main thread.
//
// A job's work function runs on its own thread with a geo::JobProgress (progress + cancel). When it finishes,
// its completion is queued and runs inside pump(), called once per frame on the main thread, so completions may
// touch GL and UI state. Exceptions thrown by the work are delivered to the failure handler as text;
// geo::Cancelled is dropped silently. The destructor cancels every job and joins the threads.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/job.hpp"

namespace app::ui {

class JobRunner {
public:
    JobRunner() = default;
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;
    ~JobRunner();

    template <typename Result>
    void run(std::shared_ptr<geo::JobProgress> progress,
             std::function<Result(geo::JobProgress&)> work,
             std::function<void(Result&&)> done,
             std::function<void(const std::string&)> failed) {
        auto result = std::make_shared<Result>();
        start(
            progress,
            [work, result](geo::JobProgress& p) { *result = work(p); },
            [done, result] { done(std::move(*result)); },
            std::move(failed));
    }

    // Runs queued completions; returns how many ran.
    size_t pump();
    size_t running() const;
    // Jobs still running plus finished ones whose completion has not run yet.
    size_t pending() const;
    void cancelAll();

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<geo::JobProgress> progress;
        std::shared_ptr<bool> finished;
    };
    void start(std::shared_ptr<geo::JobProgress> progress,
               std::function<void(geo::JobProgress&)> work,
               std::function<void()> done,
               std::function<void(const std::string&)> failed);
    void reapFinished();

    mutable std::mutex mutex_;
    std::vector<std::function<void()>> completions_;
    std::vector<Worker> workers_;
};

}  // namespace app::ui
