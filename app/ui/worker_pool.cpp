#include "ui/worker_pool.hpp"

#include <algorithm>
#include <exception>

#include "platform/thread_priority.hpp"

namespace app::ui {

WorkerPool::WorkerPool(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { workerLoop(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        for (auto& j : queue_) j.progress->cancel();
        for (auto& p : active_) p->cancel();
        queue_.clear();
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

std::shared_ptr<geo::JobProgress> WorkerPool::enqueue(JobPriority priority,
                                                      const std::string& key,
                                                      std::function<void(geo::JobProgress&)> work,
                                                      std::function<void()> done,
                                                      std::function<void(const std::string&)> failed) {
    auto progress = std::make_shared<geo::JobProgress>();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!key.empty()) {
            // Superseded: queued jobs with this key are dropped, running ones told to stop.
            queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
                                        [&](Job& j) {
                                            if (j.key != key) return false;
                                            j.progress->cancel();
                                            return true;
                                        }),
                         queue_.end());
            for (auto& [k, p] : activeKeys_)
                if (k == key) p->cancel();
        }
        Job job{priority, nextSequence_++, key, progress, std::move(work), std::move(done), std::move(failed)};
        auto at = std::find_if(queue_.begin(), queue_.end(), [&](const Job& j) { return j.priority < priority; });
        queue_.insert(at, std::move(job));
    }
    wake_.notify_one();
    return progress;
}

void WorkerPool::workerLoop() {
    platform::lowerThisThreadsPriority();  // the window's frames first
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
            active_.push_back(job.progress);
            if (!job.key.empty()) activeKeys_.emplace_back(job.key, job.progress);
            peak_ = std::max(peak_, active_.size());
        }
        runJob(job);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            active_.erase(std::find(active_.begin(), active_.end(), job.progress));
            auto k = std::find_if(activeKeys_.begin(), activeKeys_.end(),
                                  [&](const auto& e) { return e.second == job.progress; });
            if (k != activeKeys_.end()) activeKeys_.erase(k);
        }
        idle_.notify_all();
    }
}

void WorkerPool::runJob(Job& job) {
    std::function<void()> completion;
    if (!job.progress->cancelled()) {
        try {
            job.work(*job.progress);
            completion = std::move(job.done);
        } catch (const geo::Cancelled&) {
        } catch (const std::exception& e) {
            if (job.failed) completion = [failed = std::move(job.failed), msg = std::string(e.what())] { failed(msg); };
        } catch (...) {
            if (job.failed) completion = [failed = std::move(job.failed)] { failed("unknown error"); };
        }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    // Checked again here: a job superseded while it ran has nothing to say.
    if (completion && !job.progress->cancelled()) completions_.push_back(std::move(completion));
}

void WorkerPool::post(std::function<void()> fn) {
    std::lock_guard<std::mutex> lock(mutex_);
    completions_.push_back(std::move(fn));
}

size_t WorkerPool::pump() {
    std::vector<std::function<void()>> ready;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ready.swap(completions_);
    }
    for (auto& c : ready) c();
    return ready.size();
}

void WorkerPool::waitIdle() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [&] { return queue_.empty() && active_.empty(); });
}

void WorkerPool::cancelAll() {
    std::vector<std::function<void()>> dropped;  // destroyed after unlocking: a result may take time to free
    std::deque<Job> queued;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& j : queue_) j.progress->cancel();
        queued.swap(queue_);
        for (auto& p : active_) p->cancel();
        dropped.swap(completions_);
    }
    idle_.notify_all();
}

size_t WorkerPool::running() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return active_.size();
}

size_t WorkerPool::pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size() + active_.size() + completions_.size();
}

size_t WorkerPool::peakConcurrency() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return peak_;
}

}  // namespace app::ui
