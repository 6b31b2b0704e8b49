#pragma once
// A bounded pool of worker threads for background jobs, with priorities, cancellation and supersession; results
// are handed back on the main thread.
//
// submit() queues a job; one of `threadCount()` workers runs it (higher priority first, then first come). The
// work function gets the job's geo::JobProgress (progress + cancel). When it finishes, its completion (`done`
// with the result, or `failed` with the error text) is queued and runs inside pump(), called once per frame on
// the main thread, so completions may touch GL and UI state. geo::Cancelled and cancelled jobs complete with
// nothing. A job submitted with a non-empty `key` supersedes (cancels) every earlier job with the same key:
// queued ones never run, running ones see `cancelled()`. The destructor cancels everything and joins.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/job.hpp"

namespace app::ui {

enum class JobPriority { Low = 0, Normal = 1, High = 2 };  // High: what the current view needs first

class WorkerPool {
public:
    // `threads` = 0: one per hardware thread (at least 1).
    explicit WorkerPool(unsigned threads = 0);
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    ~WorkerPool();

    template <typename Result>
    std::shared_ptr<geo::JobProgress> submit(JobPriority priority,
                                             const std::string& key,
                                             std::function<Result(geo::JobProgress&)> work,
                                             std::function<void(Result&&)> done,
                                             std::function<void(const std::string&)> failed = {}) {
        auto result = std::make_shared<Result>();
        return enqueue(
            priority,
            key,
            [work = std::move(work), result](geo::JobProgress& p) { *result = work(p); },
            [done = std::move(done), result] { done(std::move(*result)); },
            std::move(failed));
    }

    // Queues `fn` to run on the main thread inside pump(), after the completions queued before it (any thread; a
    // job's partial results, e.g. a large layer's preview, come in before the job's own completion).
    void post(std::function<void()> fn);
    // Runs queued completions on the calling (main) thread; returns how many ran.
    size_t pump();
    // Blocks until no job is queued or running (completions stay queued for pump()). For tests and headless use.
    void waitIdle();
    void cancelAll();
    unsigned threadCount() const { return static_cast<unsigned>(threads_.size()); }
    size_t running() const;
    // Jobs queued or running plus finished ones whose completion has not run yet.
    size_t pending() const;
    // Most jobs that ran at the same time since construction (tests: the pool is bounded).
    size_t peakConcurrency() const;

private:
    struct Job {
        JobPriority priority;
        uint64_t sequence;
        std::string key;
        std::shared_ptr<geo::JobProgress> progress;
        std::function<void(geo::JobProgress&)> work;
        std::function<void()> done;
        std::function<void(const std::string&)> failed;
    };
    std::shared_ptr<geo::JobProgress> enqueue(JobPriority priority,
                                              const std::string& key,
                                              std::function<void(geo::JobProgress&)> work,
                                              std::function<void()> done,
                                              std::function<void(const std::string&)> failed);
    void workerLoop();
    void runJob(Job& job);

    mutable std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::deque<Job> queue_;  // kept sorted: priority descending, then sequence ascending
    std::vector<std::shared_ptr<geo::JobProgress>> active_;
    std::vector<std::pair<std::string, std::shared_ptr<geo::JobProgress>>> activeKeys_;
    std::vector<std::function<void()>> completions_;
    std::vector<std::thread> threads_;
    uint64_t nextSequence_ = 0;
    size_t peak_ = 0;
    bool stopping_ = false;
};

}  // namespace app::ui
