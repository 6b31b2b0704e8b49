#pragma once
// Vector layers shared between the project layers that read the same source with the same options: a project that
// shows one file in many layers (styled apart, shown at different scales) reads, tessellates and indexes it once,
// and holds it once. Entries are weak: the data lives while a layer holds it. A load already running for the same
// source is waited for rather than repeated. A file changed on disk (size or modification time) is read anew, as is
// one whose load failed or was cancelled; database sources (PG:) are never shared, since their rows change on the
// server. Thread-safe.
#include <memory>
#include <string>
#include <vector>

#include "layer/vector_layer.hpp"

namespace geo {

// Like loadVectorLayer, through the shared entries (loads with and without Triangles::UnlessPaintable are entries
// apart; `alongside` runs only when this call reads the source). The result is shared: never modify it. Throws like loadVectorLayer (the same error for every layer
// waiting on a failed read); Cancelled when `progress` is cancelled.
std::shared_ptr<VectorLayerData> loadSharedVectorLayer(const std::string& path, const std::string& layer,
                                                       JobProgress* progress, LoadTimings* timings = nullptr,
                                                       const SourceOptions& options = {},
                                                       Triangles triangles = Triangles::Always,
                                                       const WhileTessellating& alongside = {});

// listLayers, remembered per local file (path, size, modification time): the layers of a project that name no
// layer ask it once per file, not once per layer. Other sources are listed every time.
std::vector<SourceLayerInfo> listLayersShared(const std::string& path);

// Sources with a live entry (tests and diagnostics).
size_t sharedVectorLayerCount();

}  // namespace geo
