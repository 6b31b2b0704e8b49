#pragma once
// The tile basemaps' loader: the process's threads (kTileLoaderThreads, started on the first request) that fetch,
// decode and mesh the tiles each GpuTileLayer asks for, off the main thread; no GL. A layer hands its wishes over in
// a TileQueue (replaced every frame, nearest the centre first) and takes the finished tiles back from it.
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tiles/tile_image.hpp"
#include "tiles/tile_provider.hpp"
#include "tiles/tile_warp.hpp"

namespace app::render {

constexpr int kTileLoaderThreads = 6;  // the HTTP client keeps at most 6 connections a host

// A tile fetched, decoded and meshed, waiting for its upload.
struct TileReady {
    geo::TileKey key;
    geo::TileStatus status = geo::TileStatus::Missing;
    geo::TileImage image;
    geo::TileMesh mesh;
    std::string error;
};

// Work shared between a layer and the loader threads. The layer replaces `wanted` every frame; a thread takes the
// first key, fetches, decodes and builds its mesh, and leaves the result in `done`.
struct TileQueue {
    std::shared_ptr<geo::TileProvider> provider;
    std::shared_ptr<const geo::TileWarp> warp;
    std::mutex mutex;
    std::deque<geo::TileKey> wanted;
    std::set<geo::TileKey> inFlight;
    std::vector<TileReady> done;
    std::atomic<bool> closed{false};  // the layer is gone: its queue is dropped
};

// Decodes and meshes a fetched tile (any thread). A tile that does not decode becomes Missing with the reason.
TileReady makeTileReady(TileQueue& queue, const geo::TileKey& key, geo::TileFetch fetched);
// Registers a layer's queue with the loader (kept weakly: a closed or dropped queue is forgotten).
void attachTileQueue(const std::shared_ptr<TileQueue>& queue);
// There is work: starts the threads on first use and wakes them.
void wakeTileLoader();

}  // namespace app::render
