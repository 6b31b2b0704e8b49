#include "tiles/http_client.hpp"

// Index:
//   [SECTION] Handles: one curl multi handle with one easy handle per slot, pooled by host for keep-alive
//   [SECTION] Response headers and freshness
//   [SECTION] HttpClient::get: per-host slots, attempts, back-off
//
// Why a multi handle per slot rather than curl_easy_perform: the easy interface waits up to a second between
// progress callbacks when nothing arrives, and `cancel` must be seen within 100 ms; curl_multi_poll with a 100 ms
// timeout gives that. Connections live in the multi handle's cache, so a pooled slot reused for the same host keeps
// its connection alive. Connections themselves are not put in a CURLSH: libcurl does not support sharing them
// between concurrent threads; DNS answers and TLS sessions are shared (with locks).
#include <curl/curl.h>

#include "tiles/http_messages.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <list>
#include <map>
#include <mutex>
#include <thread>

#ifndef PLANATLAS_VERSION
#define PLANATLAS_VERSION "0"
#endif

namespace geo {

std::string planAtlasUserAgent() {
    return std::string("PlanAtlas/") + PLANATLAS_VERSION;
}

using http_detail::describe;
using http_detail::Failure;
using http_detail::hostKey;
using http_detail::statusMessage;

namespace {

constexpr size_t kMaxBody = size_t(256) << 20;  // a tile or a capabilities document; more is a wrong URL
constexpr size_t kMaxIdleSlots = 32;
constexpr long kPollMs = 100;

// ---------------------------------------------------------------------------------------------------------------
// [SECTION] Handles
// ---------------------------------------------------------------------------------------------------------------

struct Slot {
    std::string host;  // scheme://host:port the slot last talked to
    CURLM* multi = nullptr;
    CURL* easy = nullptr;
    Slot() : multi(curl_multi_init()), easy(curl_easy_init()) {}
    ~Slot() {
        if (easy) curl_easy_cleanup(easy);
        if (multi) curl_multi_cleanup(multi);
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\n')) --b;
    return s.substr(a, b - a);
}

// ---------------------------------------------------------------------------------------------------------------
// [SECTION] Response headers and freshness
// ---------------------------------------------------------------------------------------------------------------

struct Transfer {
    std::vector<uint8_t> body;
    bool tooLarge = false;
    std::string etag, lastModified, contentType, cacheControl, expires, date;
    const std::atomic<bool>* cancel = nullptr;
};

size_t onBody(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t bytes = size * n;
    if (t->body.size() + bytes > kMaxBody) {
        t->tooLarge = true;
        return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
    }
    t->body.insert(t->body.end(), reinterpret_cast<uint8_t*>(data), reinterpret_cast<uint8_t*>(data) + bytes);
    return bytes;
}

size_t onHeader(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t bytes = size * n;
    const std::string line(data, bytes);
    if (line.compare(0, 5, "HTTP/") == 0) {  // a new response (after a redirect or a 100 Continue)
        t->etag.clear();
        t->lastModified.clear();
        t->contentType.clear();
        t->cacheControl.clear();
        t->expires.clear();
        t->date.clear();
        return bytes;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) return bytes;
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string value = trim(line.substr(colon + 1));
    if (name == "etag")
        t->etag = value;
    else if (name == "last-modified")
        t->lastModified = value;
    else if (name == "content-type")
        t->contentType = value;
    else if (name == "cache-control")
        t->cacheControl += (t->cacheControl.empty() ? "" : ",") + value;
    else if (name == "expires")
        t->expires = value;
    else if (name == "date")
        t->date = value;
    return bytes;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* t = static_cast<const Transfer*>(user);
    return t->cancel && t->cancel->load() ? 1 : 0;
}

// Seconds the response stays fresh: Cache-Control max-age (no-store / no-cache: 0), else Expires - Date; -1 when
// neither says.
int64_t maxAge(const Transfer& t) {
    const std::string cc = lower(t.cacheControl);
    int64_t age = -1;
    for (size_t at = 0; at < cc.size();) {
        size_t end = cc.find(',', at);
        if (end == std::string::npos) end = cc.size();
        const std::string item = trim(cc.substr(at, end - at));
        at = end + 1;
        if (item == "no-store" || item == "no-cache") return 0;
        if (item.compare(0, 8, "max-age=") == 0) {
            std::string v = item.substr(8);
            if (!v.empty() && v.front() == '"') v = v.substr(1, v.find('"', 1) - 1);
            char* after = nullptr;
            const long long n = std::strtoll(v.c_str(), &after, 10);
            if (after != v.c_str()) age = std::max<long long>(0, n);
        }
    }
    if (age >= 0 || t.expires.empty()) return age;
    const time_t expires = curl_getdate(t.expires.c_str(), nullptr);
    if (expires < 0) return 0;  // an invalid Expires ("0", "-1") means already expired
    time_t date = t.date.empty() ? -1 : curl_getdate(t.date.c_str(), nullptr);
    if (date < 0) date = std::time(nullptr);
    return std::max<int64_t>(0, int64_t(expires) - int64_t(date));
}

void lockShare(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    auto* locks = static_cast<std::array<std::mutex, CURL_LOCK_DATA_LAST>*>(user);
    (*locks)[size_t(data) % locks->size()].lock();
}
void unlockShare(CURL*, curl_lock_data data, void* user) {
    auto* locks = static_cast<std::array<std::mutex, CURL_LOCK_DATA_LAST>*>(user);
    (*locks)[size_t(data) % locks->size()].unlock();
}

bool sleepUnlessCancelled(double secondsToSleep, const std::atomic<bool>* cancel) {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point until =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(secondsToSleep));
    while (Clock::now() < until) {
        if (cancel && cancel->load()) return false;
        std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(50), until - Clock::now()));
    }
    return !(cancel && cancel->load());
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// [SECTION] HttpClient::get
// ---------------------------------------------------------------------------------------------------------------

struct HttpClient::Impl {
    std::string userAgent;
    int maxPerHost = 6;
    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> shareLocks;
    std::once_flag started;
    void start();

    std::mutex mutex;  // guards inFlight and idle
    std::condition_variable slotFreed;
    std::map<std::string, int> inFlight;
    std::list<std::unique_ptr<Slot>> idle;  // most recently used first

    ~Impl() {
        idle.clear();
        if (share) curl_share_cleanup(share);
    }

    // Waits for one of the host's `maxPerHost` places; false when cancelled meanwhile.
    bool acquire(const std::string& host, const std::atomic<bool>* cancel) {
        std::unique_lock<std::mutex> lock(mutex);
        while (inFlight[host] >= maxPerHost) {
            if (cancel && cancel->load()) return false;
            slotFreed.wait_for(lock, std::chrono::milliseconds(50));
        }
        ++inFlight[host];
        return true;
    }
    void release(const std::string& host, std::unique_ptr<Slot> slot) {
        std::unique_lock<std::mutex> lock(mutex);
        if (--inFlight[host] <= 0) inFlight.erase(host);
        if (slot) {
            slot->host = host;
            idle.push_front(std::move(slot));
            while (idle.size() > kMaxIdleSlots) idle.pop_back();
        }
        lock.unlock();
        slotFreed.notify_all();
    }
    // A slot that last talked to `host` (its connection may still be open), else a fresh one.
    std::unique_ptr<Slot> takeSlot(const std::string& host) {
        std::lock_guard<std::mutex> lock(mutex);
        for (auto it = idle.begin(); it != idle.end(); ++it) {
            if ((*it)->host == host) {
                std::unique_ptr<Slot> s = std::move(*it);
                idle.erase(it);
                return s;
            }
        }
        return std::make_unique<Slot>();
    }

    void configure(CURL* easy, const HttpRequest& req, Transfer& t, curl_slist* headers, char* errorBuffer) const;
    // One attempt. Returns the curl result; `cancelled` is set when the caller's flag stopped it.
    CURLcode perform(Slot& slot, const std::atomic<bool>* cancel, bool& cancelled) const;
};

void HttpClient::Impl::configure(
    CURL* easy, const HttpRequest& req, Transfer& t, curl_slist* headers, char* errorBuffer) const {
    curl_easy_reset(easy);  // keeps the connection cache
    curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_SHARE, share);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, userAgent.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // whatever this libcurl can decode (gzip at least)
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(std::max(1.0, req.timeoutSeconds * 1000)));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, long(std::max(1.0, req.connectTimeoutSeconds * 1000)));
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errorBuffer);
}

CURLcode HttpClient::Impl::perform(Slot& slot, const std::atomic<bool>* cancel, bool& cancelled) const {
    cancelled = false;
    if (curl_multi_add_handle(slot.multi, slot.easy) != CURLM_OK) return CURLE_FAILED_INIT;
    CURLcode result = CURLE_OK;
    bool done = false;
    while (!done) {
        int running = 0;
        if (curl_multi_perform(slot.multi, &running) != CURLM_OK) {
            result = CURLE_OUT_OF_MEMORY;
            break;
        }
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(slot.multi, &queued)) {
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == slot.easy) {
                result = msg->data.result;
                done = true;
            }
        }
        if (done) break;
        if (cancel && cancel->load()) {
            cancelled = true;
            result = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (curl_multi_poll(slot.multi, nullptr, 0, int(kPollMs), nullptr) != CURLM_OK) {
            result = CURLE_OUT_OF_MEMORY;
            break;
        }
    }
    curl_multi_remove_handle(slot.multi, slot.easy);  // a transfer stopped midway closes its connection
    if (result == CURLE_ABORTED_BY_CALLBACK && cancel && cancel->load()) cancelled = true;
    return result;
}

void initHttpLibrary() {
    static std::once_flag curlInit;
    std::call_once(curlInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpClient::HttpClient(std::string userAgent, int maxPerHost) : impl_(std::make_unique<Impl>()) {
    impl_->userAgent = std::move(userAgent);
    impl_->maxPerHost = std::max(1, maxPerHost);
}

// libcurl (and its TLS library) is set up on the first request, not when a client is made: a process that makes a
// client but never fetches (a project whose basemaps are off) never initialises them.
void HttpClient::Impl::start() {
    std::call_once(started, [this] {
        initHttpLibrary();
        share = curl_share_init();
        if (share) {
            curl_share_setopt(share, CURLSHOPT_LOCKFUNC, lockShare);
            curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, unlockShare);
            curl_share_setopt(share, CURLSHOPT_USERDATA, &shareLocks);
            curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
            curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        }
    });
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::get(const HttpRequest& request, const std::atomic<bool>* cancel) {
    HttpResponse out;
    const std::string host = hostKey(request.url);
    if (host.empty()) {
        out.error = "not a valid http or https address";
        return out;
    }
    impl_->start();
    curl_slist* headers = nullptr;
    if (!request.ifNoneMatch.empty())
        headers = curl_slist_append(headers, ("If-None-Match: " + request.ifNoneMatch).c_str());
    if (!request.ifModifiedSince.empty()) {
        headers = curl_slist_append(headers, ("If-Modified-Since: " + request.ifModifiedSince).c_str());
    }
    const int attemptsAllowed = 1 + std::max(0, request.retries);
    double backOff = 0.25;
    for (int attempt = 0; attempt < attemptsAllowed; ++attempt) {
        if (attempt > 0) {
            if (!sleepUnlessCancelled(backOff, cancel)) {
                out = HttpResponse{};
                out.error = "cancelled";
                out.attempts = attempt;
                break;
            }
            backOff *= 2;
        }
        if (!impl_->acquire(host, cancel)) {
            out = HttpResponse{};
            out.error = "cancelled";
            out.attempts = attempt;
            break;
        }
        std::unique_ptr<Slot> slot = impl_->takeSlot(host);
        out = HttpResponse{};
        out.attempts = attempt + 1;
        if (!slot->multi || !slot->easy) {
            impl_->release(host, nullptr);
            out.error = "out of memory";
            break;
        }
        Transfer t;
        t.cancel = cancel;
        char errorBuffer[CURL_ERROR_SIZE] = {0};
        impl_->configure(slot->easy, request, t, headers, errorBuffer);
        bool cancelled = false;
        const CURLcode rc = impl_->perform(*slot, cancel, cancelled);
        bool retry = false;
        if (cancelled) {
            out.error = "cancelled";
        } else if (rc != CURLE_OK) {
            const Failure f = describe(rc, slot->easy, request, errorBuffer, t.body.size(), t.tooLarge);
            out.error = f.message;
            retry = f.retry;
        } else {
            long status = 0;
            curl_easy_getinfo(slot->easy, CURLINFO_RESPONSE_CODE, &status);
            out.status = int(status);
            out.body = std::move(t.body);
            out.etag = t.etag;
            out.lastModified = t.lastModified;
            out.contentType = t.contentType;
            out.maxAgeSeconds = maxAge(t);
            if (!out.ok() && !out.notModified()) out.error = statusMessage(out.status);
            retry = out.status >= 500;
        }
        impl_->release(host, std::move(slot));
        if (!retry || cancelled) break;
    }
    curl_slist_free_all(headers);
    return out;
}

}  // namespace geo
