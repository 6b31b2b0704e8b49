#pragma once
namespace app::cli {
// `planatlas analyze overlap ...`: the conflict lens without the viewer. Overlap of a project layer (default: the
// plan-project catalog) with constraint layers, written as a CSV or XLSX report. Returns the process exit code:
// 0 done, 1 unreadable data or failed write (the message names the file), 2 bad arguments.
int runAnalyze(int argc, char** argv);
}  // namespace app::cli
