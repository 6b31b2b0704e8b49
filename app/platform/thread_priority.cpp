#include "platform/thread_priority.hpp"

#include <atomic>
#include <cerrno>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace app::platform {

namespace {
std::atomic<bool> yieldBackground{false};
}  // namespace

void setBackgroundThreadsYield(bool yield) { yieldBackground = yield; }

void lowerThisThreadsPriority() {
    if (!yieldBackground) return;
#ifdef __linux__
    // On Linux a nice value belongs to a thread (PRIO_PROCESS with a thread id), and new threads take their creator's.
    const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
    errno = 0;
    const int now = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    if (errno == 0 && now < 10) (void)setpriority(PRIO_PROCESS, static_cast<id_t>(tid), 10);
#endif
}

}  // namespace app::platform
