#pragma once
// Progress of long steps of the headless commands on stderr, so that `render` and `export` never work for minutes
// without a word: a watcher thread prints "planatlas CMD: LABEL: 42% (stage)" every few seconds once the step has
// run for kQuietSeconds; short steps print nothing.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/job.hpp"

namespace app::cli {

class StderrProgress {
public:
    static constexpr double kQuietSeconds = 2.0;
    // `prefix` like "planatlas render", `label` what is being done ("reading ortho.tif").
    StderrProgress(std::string prefix, std::string label);
    ~StderrProgress();  // stops the watcher (a final line when it printed any)
    StderrProgress(const StderrProgress&) = delete;
    StderrProgress& operator=(const StderrProgress&) = delete;
    // For the step: give it to geo functions that take a JobProgress.
    geo::JobProgress& job() { return job_; }
    void setLabel(std::string label);

private:
    void watch();
    std::string prefix_, label_;
    geo::JobProgress job_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false, printed_ = false;
    std::thread watcher_;
};

}  // namespace app::cli
