// The worker pool: bounded threads, priorities, cancellation, superseded jobs, results on the pumping thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "ui/worker_pool.hpp"

namespace {

using app::ui::JobPriority;
using app::ui::WorkerPool;
using namespace std::chrono_literals;

// A gate the test opens: jobs wait on it so the test controls what runs when.
struct Gate {
    std::atomic<bool> open{false};
    void wait(geo::JobProgress& p) const {
        while (!open.load()) {
            p.throwIfCancelled();
            std::this_thread::sleep_for(1ms);
        }
    }
};

void pumpUntil(WorkerPool& pool, const std::function<bool()>& done) {
    for (int i = 0; i < 5000 && !done(); ++i) {
        pool.pump();
        std::this_thread::sleep_for(1ms);
    }
}

TEST(WorkerPool, NeverRunsMoreJobsThanThreads) {
    WorkerPool pool(2);
    std::atomic<int> running{0}, most{0};
    int finished = 0;
    for (int i = 0; i < 12; ++i)
        pool.submit<int>(JobPriority::Normal, "", [&](geo::JobProgress&) {
                int now = ++running;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                std::this_thread::sleep_for(5ms);
                --running;
                return 1;
            },
            [&](int&&) { ++finished; });
    pool.waitIdle();
    pool.pump();
    EXPECT_EQ(finished, 12);
    EXPECT_EQ(pool.threadCount(), 2u);
    EXPECT_LE(most.load(), 2);
    EXPECT_LE(pool.peakConcurrency(), 2u);
    EXPECT_GE(pool.peakConcurrency(), 1u);
}

TEST(WorkerPool, DefaultSizeIsTheHardwareThreads) {
    WorkerPool pool;
    EXPECT_EQ(pool.threadCount(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(WorkerPool, CompletionsRunOnlyInPumpOnThePumpingThread) {
    WorkerPool pool(1);
    std::thread::id doneOn;
    bool done = false;
    pool.submit<int>(JobPriority::Normal, "", [](geo::JobProgress&) { return 7; },
                     [&](int&& v) {
                         doneOn = std::this_thread::get_id();
                         done = v == 7;
                     });
    pool.waitIdle();
    EXPECT_FALSE(done);  // finished, but not handed back yet
    EXPECT_EQ(pool.pending(), 1u);
    EXPECT_EQ(pool.pump(), 1u);
    EXPECT_TRUE(done);
    EXPECT_EQ(doneOn, std::this_thread::get_id());
    EXPECT_EQ(pool.pending(), 0u);
}

TEST(WorkerPool, HigherPriorityRunsFirst) {
    WorkerPool pool(1);
    Gate gate;
    std::vector<std::string> order;
    std::mutex m;
    auto record = [&](const char* name) {
        return [&, name](geo::JobProgress&) {
            std::lock_guard<std::mutex> lock(m);
            order.push_back(name);
            return 0;
        };
    };
    // The single worker is held by the first job while the others queue.
    pool.submit<int>(JobPriority::Normal, "", [&](geo::JobProgress& p) { gate.wait(p); return 0; }, [](int&&) {});
    pool.submit<int>(JobPriority::Low, "", record("low"), [](int&&) {});
    pool.submit<int>(JobPriority::Normal, "", record("normal-1"), [](int&&) {});
    pool.submit<int>(JobPriority::High, "", record("high"), [](int&&) {});
    pool.submit<int>(JobPriority::Normal, "", record("normal-2"), [](int&&) {});
    gate.open = true;
    pool.waitIdle();
    EXPECT_EQ(order, (std::vector<std::string>{"high", "normal-1", "normal-2", "low"}));
}

TEST(WorkerPool, ANewerJobWithTheSameKeySupersedesQueuedAndRunningOnes) {
    WorkerPool pool(1);
    Gate gate;
    std::atomic<bool> runningSawCancel{false};
    std::vector<int> results;
    bool queuedRan = false;
    // The first job holds the only worker until both newer jobs are queued (else the second could start, and
    // finish, between the two submits: a race in the test, not a supersession).
    auto first = pool.submit<int>(JobPriority::Normal, "raster:1",
                                  [&](geo::JobProgress& p) {
                                      while (!gate.open) std::this_thread::sleep_for(1ms);
                                      runningSawCancel = p.cancelled();
                                      return 1;
                                  },
                                  [&](int&& v) { results.push_back(v); });
    pumpUntil(pool, [&] { return pool.running() == 1; });
    auto second = pool.submit<int>(JobPriority::Normal, "raster:1",
                                   [&](geo::JobProgress&) {
                                       queuedRan = true;
                                       return 2;
                                   },
                                   [&](int&& v) { results.push_back(v); });
    auto third = pool.submit<int>(JobPriority::Normal, "raster:1", [](geo::JobProgress&) { return 3; },
                                  [&](int&& v) { results.push_back(v); });
    gate.open = true;
    pool.waitIdle();
    pool.pump();
    EXPECT_TRUE(first->cancelled());
    EXPECT_TRUE(runningSawCancel);
    EXPECT_TRUE(second->cancelled());
    EXPECT_FALSE(queuedRan);  // superseded before it started: never ran
    EXPECT_FALSE(third->cancelled());
    EXPECT_EQ(results, std::vector<int>{3});  // only the newest result lands
}

TEST(WorkerPool, OtherKeysAreNotSuperseded) {
    WorkerPool pool(2);
    std::vector<int> results;
    pool.submit<int>(JobPriority::Normal, "layer:1", [](geo::JobProgress&) { return 1; }, [&](int&& v) { results.push_back(v); });
    pool.submit<int>(JobPriority::Normal, "layer:2", [](geo::JobProgress&) { return 2; }, [&](int&& v) { results.push_back(v); });
    pool.waitIdle();
    pool.pump();
    std::sort(results.begin(), results.end());
    EXPECT_EQ(results, (std::vector<int>{1, 2}));
}

TEST(WorkerPool, CancelledJobReportsNothing) {
    WorkerPool pool(1);
    bool done = false, failed = false;
    auto job = pool.submit<int>(JobPriority::Normal, "",
                                [](geo::JobProgress& p) {
                                    for (;;) {
                                        p.throwIfCancelled();
                                        std::this_thread::sleep_for(1ms);
                                    }
                                    return 0;
                                },
                                [&](int&&) { done = true; }, [&](const std::string&) { failed = true; });
    pumpUntil(pool, [&] { return pool.running() == 1; });
    job->cancel();
    pool.waitIdle();
    pool.pump();
    EXPECT_FALSE(done);
    EXPECT_FALSE(failed);
}

TEST(WorkerPool, ExceptionsBecomeFailuresWithTheirText) {
    WorkerPool pool(1);
    std::string error;
    pool.submit<int>(JobPriority::Normal, "", [](geo::JobProgress&) -> int { throw std::runtime_error("disk on fire"); },
                     [](int&&) {}, [&](const std::string& e) { error = e; });
    pool.waitIdle();
    pool.pump();
    EXPECT_EQ(error, "disk on fire");
}

TEST(WorkerPool, CancelAllDropsQueuedJobsAndFinishedResults) {
    WorkerPool pool(1);
    Gate gate;
    int results = 0;
    pool.submit<int>(JobPriority::Normal, "", [](geo::JobProgress&) { return 0; }, [&](int&&) { ++results; });
    pool.waitIdle();  // finished, completion queued
    pool.submit<int>(JobPriority::Normal, "", [&](geo::JobProgress& p) { gate.wait(p); return 0; }, [&](int&&) { ++results; });
    bool queuedRan = false;
    pool.submit<int>(JobPriority::Normal, "", [&](geo::JobProgress&) { queuedRan = true; return 0; }, [&](int&&) { ++results; });
    pool.cancelAll();
    pool.waitIdle();
    EXPECT_EQ(pool.pump(), 0u);
    EXPECT_EQ(results, 0);
    EXPECT_FALSE(queuedRan);
}

TEST(WorkerPool, DestructorCancelsAndJoins) {
    std::atomic<bool> stopped{false};
    {
        WorkerPool pool(2);
        pool.submit<int>(JobPriority::Normal, "", [&](geo::JobProgress& p) {
                while (!p.cancelled()) std::this_thread::sleep_for(1ms);
                stopped = true;
                return 0;
            },
            [](int&&) {});
        pumpUntil(pool, [&] { return pool.running() == 1; });
    }
    EXPECT_TRUE(stopped);
}

}  // namespace
