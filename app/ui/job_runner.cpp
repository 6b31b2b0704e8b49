#include "ui/job_runner.hpp"

#include <exception>

namespace app::ui {

JobRunner::~JobRunner() {
    cancelAll();
    for (auto& w : workers_)
        if (w.thread.joinable()) w.thread.join();
}

void JobRunner::start(std::shared_ptr<geo::JobProgress> progress,
                      std::function<void(geo::JobProgress&)> work,
                      std::function<void()> done,
                      std::function<void(const std::string&)> failed) {
    auto finished = std::make_shared<bool>(false);
    std::thread t([this, progress, work = std::move(work), done = std::move(done), failed = std::move(failed),
                   finished] {
        std::function<void()> completion;
        try {
            work(*progress);
            completion = done;
        } catch (const geo::Cancelled&) {
            completion = nullptr;
        } catch (const std::exception& e) {
            std::string msg = e.what();
            completion = [failed, msg] { failed(msg); };
        } catch (...) {
            completion = [failed] { failed("unknown error"); };
        }
        std::lock_guard<std::mutex> lock(mutex_);
        if (completion && !progress->cancelled()) completions_.push_back(std::move(completion));
        *finished = true;
    });
    std::lock_guard<std::mutex> lock(mutex_);
    workers_.push_back({std::move(t), std::move(progress), std::move(finished)});
}

void JobRunner::reapFinished() {
    std::vector<std::thread> done;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = workers_.begin(); it != workers_.end();) {
            if (*it->finished) {
                done.push_back(std::move(it->thread));
                it = workers_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& t : done) t.join();
}

size_t JobRunner::pump() {
    std::vector<std::function<void()>> ready;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ready.swap(completions_);
    }
    for (auto& c : ready) c();
    reapFinished();
    return ready.size();
}

size_t JobRunner::running() const {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t n = 0;
    for (const auto& w : workers_) n += !*w.finished;
    return n;
}

size_t JobRunner::pending() const {
    size_t n = running();
    std::lock_guard<std::mutex> lock(mutex_);
    return n + completions_.size();
}

void JobRunner::cancelAll() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& w : workers_) w.progress->cancel();
}

}  // namespace app::ui
