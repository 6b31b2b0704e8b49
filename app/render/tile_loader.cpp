#include "render/tile_loader.hpp"

#include <algorithm>
#include <condition_variable>
#include <thread>

#include "core/error.hpp"
#include "tiles/http_client.hpp"
#include "tiles/tile_image.hpp"

namespace app::render {

TileReady makeTileReady(TileQueue& q, const geo::TileKey& k, geo::TileFetch f) {
    TileReady r;
    r.key = k;
    r.status = f.status;
    r.error = f.error;
    if (f.status != geo::TileStatus::Ok) return r;
    try {
        r.image = geo::decodeTileImage(f.data);
        r.mesh = q.warp->mesh(k);  // as dense as the warp's curvature needs, at most 16x16
        if (r.mesh.empty()) r.status = geo::TileStatus::Absent;
    } catch (const geo::Error& e) {
        r.status = geo::TileStatus::Missing;
        r.error = q.provider->displayName() + " tile " + std::to_string(k.z) + "/" + std::to_string(k.x) + "/" +
                  std::to_string(k.y) + ": " + e.what();
    }
    return r;
}

namespace {

// The process's tile threads, shared by every tile layer.
class TileLoader {
public:
    static TileLoader& instance() {
        static TileLoader loader;
        return loader;
    }
    void attach(const std::shared_ptr<TileQueue>& q) {
        std::lock_guard<std::mutex> lock(mutex_);
        queues_.push_back(q);
    }
    // Starts the threads on the first request: a process whose basemaps are off (or that only renders headless,
    // which prefetches on threads of its own) never has them.
    void wake() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (threads_.empty() && !stop_)
                for (int i = 0; i < kTileLoaderThreads; ++i) threads_.emplace_back([this] { run(); });
        }
        cv_.notify_all();
    }
    ~TileLoader() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        stopFlag_ = true;
        cv_.notify_all();
        for (std::thread& t : threads_) t.join();
    }

private:
    // libcurl and OpenSSL are set up before this object is complete, so its destructor (which joins the threads)
    // runs before OpenSSL's atexit clean-up: see geo::initHttpLibrary.
    TileLoader() { geo::initHttpLibrary(); }
    // The next key of any queue (round robin), or null when there is none.
    std::shared_ptr<TileQueue> take(geo::TileKey& key) {
        for (size_t n = 0; n < queues_.size(); ++n) {
            size_t i = (next_ + n) % queues_.size();
            std::shared_ptr<TileQueue> q = queues_[i].lock();
            if (!q || q->closed) continue;
            std::lock_guard<std::mutex> lock(q->mutex);
            while (!q->wanted.empty()) {
                key = q->wanted.front();
                q->wanted.pop_front();
                if (q->inFlight.insert(key).second) {
                    next_ = i + 1;
                    return q;
                }
            }
        }
        // Forget layers that are gone.
        queues_.erase(std::remove_if(queues_.begin(), queues_.end(), [](const std::weak_ptr<TileQueue>& w) {
                          auto q = w.lock();
                          return !q || q->closed;
                      }),
                      queues_.end());
        return nullptr;
    }
    void run() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stop_) {
            geo::TileKey key;
            std::shared_ptr<TileQueue> q = take(key);
            if (!q) {
                cv_.wait_for(lock, std::chrono::milliseconds(200));
                continue;
            }
            lock.unlock();
            TileReady r = makeTileReady(*q, key, q->provider->fetch(key, &stopFlag_));
            {
                std::lock_guard<std::mutex> ql(q->mutex);
                q->inFlight.erase(key);
                q->done.push_back(std::move(r));
            }
            q.reset();
            lock.lock();
        }
    }
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::weak_ptr<TileQueue>> queues_;
    size_t next_ = 0;
    bool stop_ = false;
    std::atomic<bool> stopFlag_{false};
    std::vector<std::thread> threads_;
};

}  // namespace

void attachTileQueue(const std::shared_ptr<TileQueue>& queue) { TileLoader::instance().attach(queue); }
void wakeTileLoader() { TileLoader::instance().wake(); }

}  // namespace app::render
