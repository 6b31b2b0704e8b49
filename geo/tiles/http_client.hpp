#pragma once
// A small blocking HTTP(S) client for tile fetching (libcurl): keep-alive connections shared between threads,
// at most `maxPerHost` requests in flight per host, timeouts, retries with back-off on 5xx and network errors,
// a "PlanAtlas/VERSION" User-Agent, and conditional requests (ETag / Last-Modified). Thread-safe: any worker
// thread may call get() at once.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace geo {

struct HttpRequest {
    std::string url;
    std::string ifNoneMatch;      // ETag of the cached copy ("" = none)
    std::string ifModifiedSince;  // Last-Modified of the cached copy ("" = none)
    double timeoutSeconds = 15;   // whole request
    double connectTimeoutSeconds = 5;
    int retries = 2;              // extra attempts after a 5xx, timeout or connection error (back-off 0.25 s, 0.5 s..)
};

struct HttpResponse {
    int status = 0;  // HTTP status; 0 = no response (error says why: refused, timeout, DNS, TLS, cancelled)
    std::vector<uint8_t> body;
    std::string etag, lastModified, contentType;
    int64_t maxAgeSeconds = -1;  // from Cache-Control max-age, else Expires - Date; -1 = not given
    std::string error;           // "" when a response came; else a sentence for the Messages window
    int attempts = 0;
    bool ok() const { return status >= 200 && status < 300; }
    bool notModified() const { return status == 304; }
};

// Sets up libcurl and its TLS library, once per process; the first HttpClient::get calls it too. The TLS library
// registers its clean-up with atexit() then, and atexit handlers and static destructors run in reverse order of
// registration: an object of static lifetime whose threads fetch (app/render/tile_loader.cpp) calls this in its
// constructor, so that its destructor joins those threads before OpenSSL deletes the thread-state key that frees
// each thread's state on exit (otherwise every fetching thread leaks it).
void initHttpLibrary();

class HttpClient {
public:
    explicit HttpClient(std::string userAgent, int maxPerHost = 6);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    // Blocks until a response, a final error or `cancel` becomes true (checked at least every 100 ms).
    HttpResponse get(const HttpRequest& request, const std::atomic<bool>* cancel = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// "PlanAtlas/<version>" (the project's version from CMake).
std::string planAtlasUserAgent();

}  // namespace geo
