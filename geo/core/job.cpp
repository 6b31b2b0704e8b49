#include "core/job.hpp"

namespace geo {

int gdalProgress(double complete, const char* /*message*/, void* jobProgress) {
    auto* p = static_cast<JobProgress*>(jobProgress);
    if (!p) return 1;
    p->set(static_cast<float>(complete));
    return p->cancelled() ? 0 : 1;
}

}  // namespace geo
