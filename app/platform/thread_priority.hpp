#pragma once
// In the viewer, background threads (loads, paintings, indexes) run at a lower priority than the thread that draws
// the window, so that on a machine with few cores its frames are not held up behind them (threads they start take
// the same priority). Elsewhere (the command line, which waits for its workers, and the tests, which run side by
// side) every thread keeps the normal priority.

namespace app::platform {

// Set once by the viewer before it starts its threads.
void setBackgroundThreadsYield(bool yield);
// With setBackgroundThreadsYield(true): lowers the calling thread's priority (Linux: nice +10). Else, or where that
// cannot be done, nothing.
void lowerThisThreadsPriority();

}  // namespace app::platform
