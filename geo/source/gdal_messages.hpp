#pragma once
// GDAL's messages (CPLError), captured. ensureGdal() installs one process-wide handler: a message raised inside a
// GdalMessageScope on the same thread is collected by the innermost scope, for the code reading a file to report as
// a warning naming that file or to fold into its error; one raised outside any scope is written to stderr as one
// line of ours ("planatlas: GDAL: ..."), never as GDAL's raw "ERROR 1: ...". Debug messages go only where
// CPL_DEBUG asks for them. Handlers pushed on top (QuietGdalErrors) still win for their thread.
#include <cstddef>
#include <string>
#include <vector>

namespace geo {

class GdalMessageScope {
public:
    GdalMessageScope();
    ~GdalMessageScope();
    GdalMessageScope(const GdalMessageScope&) = delete;
    GdalMessageScope& operator=(const GdalMessageScope&) = delete;

    // Every warning and error raised so far, repeats included.
    size_t count() const { return count_; }
    // True when one of them was an error (CE_Failure or CE_Fatal).
    bool failed() const { return failures_ > 0; }
    size_t failures() const { return failures_; }
    // The first distinct messages (one line each, at most kKept of them), oldest first.
    const std::vector<std::string>& messages() const { return kept_; }
    // One line: the first message, then how many more there were ("" when none).
    std::string summary() const;
    // Forgets what was collected (a step whose messages were reported, or were expected).
    void clear();

    // Hands what was collected to the scope this one is inside of (dropped when there is none), and forgets it.
    void passOn();
    // Takes what an inner scope collected as if raised here (an attempt that counted after all).
    void merge(const GdalMessageScope& inner);

    // Called by the handler.
    void add(bool failure, const std::string& oneLine);

    static constexpr size_t kKept = 3;

private:
    size_t count_ = 0, failures_ = 0;
    std::vector<std::string> kept_;
};

// Installs the handler (ensureGdal does; idempotent).
void installGdalMessageHandler();

// GDAL's text as one line: newlines and runs of spaces folded, at most `maxChars` characters (then "...").
std::string gdalMessageLine(const char* message, size_t maxChars = 400);

}  // namespace geo
