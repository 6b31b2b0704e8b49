// HttpClient against tests/app/tile_server.py on 127.0.0.1: validators, conditional requests, errors, retries,
// timeouts, cancellation, the per-host limit and keep-alive.
#include "tiles/http_client.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace fs = std::filesystem;
using geo::HttpClient;
using geo::HttpRequest;
using geo::HttpResponse;

namespace {

const std::string kTile = "tile bytes 0123456789 abcdefghijklmnopqrstuvwxyz";

std::string text(const std::vector<uint8_t>& v) {
    return std::string(v.begin(), v.end());
}

void writeFile(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

// A port nothing listens on: bound by us, then closed.
int closedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
        port = ntohs(a.sin_port);
    }
    ::close(fd);
    return port;
}

}  // namespace

class HttpClientTest : public ::testing::Test {
protected:
    // One server for the suite, on a temporary root holding a few small files.
    static void SetUpTestSuite() {
        // A proxy from the environment must not carry loopback requests away.
        ::setenv("no_proxy", "127.0.0.1,localhost", 1);
        ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
        char tmpl[] = "/tmp/planatlas-http-XXXXXX";
        const char* made = ::mkdtemp(tmpl);
        if (!made) {
            startError_ = "mkdtemp failed";
            return;
        }
        scratch_ = made;
        writeFile(scratch_ / "root" / "0" / "0" / "0.png", kTile);
        writeFile(scratch_ / "root" / "a.png", kTile + " a");
        writeFile(scratch_ / "root" / "big.bin", std::string(200000, 'x'));
        const std::string script = std::string(PLANATLAS_SOURCE_DIR) + "/tests/app/tile_server.py";
        const std::string root = (scratch_ / "root").string(), portFile = (scratch_ / "port").string(),
                          log = (scratch_ / "log").string();
        std::vector<std::string> args = {
            "python3", script, "--root", root, "--port", "0", "--port-file", portFile, "--log", log};
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (::posix_spawnp(&server_, "python3", nullptr, nullptr, argv.data(), environ) != 0) {
            server_ = -1;
            startError_ = "cannot start python3";
            return;
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < until) {
            std::ifstream in(portFile);
            if (in >> port_ && port_ > 0) return;
            int status = 0;
            if (::waitpid(server_, &status, WNOHANG) == server_) {
                server_ = -1;
                startError_ = "tile_server.py exited";
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        startError_ = "tile_server.py wrote no port within 60 s";
    }

    static void TearDownTestSuite() {
        if (server_ > 0) {
            ::kill(server_, SIGTERM);
            int status = 0;
            bool gone = false;
            for (int i = 0; i < 200 && !gone; ++i) {
                gone = ::waitpid(server_, &status, WNOHANG) == server_;
                if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            if (!gone) {
                ::kill(server_, SIGKILL);
                ::waitpid(server_, &status, 0);
            }
            server_ = -1;
        }
        std::error_code ec;
        if (!scratch_.empty()) fs::remove_all(scratch_, ec);
        scratch_.clear();
        port_ = 0;
    }

    void SetUp() override { ASSERT_GT(port_, 0) << startError_; }

    static std::string url(const std::string& path) { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    static HttpRequest request(const std::string& path, int retries = 0, double timeout = 60) {
        HttpRequest r;
        r.url = url(path);
        r.retries = retries;
        r.timeoutSeconds = timeout;
        r.connectTimeoutSeconds = 30;
        return r;
    }
    // The server's /count report.
    static std::string counts(HttpClient& client) { return text(client.get(request("/count")).body); }
    static long countField(const std::string& json, const std::string& name) {
        std::smatch m;
        if (!std::regex_search(json, m, std::regex("\"" + name + "\": (\\d+)"))) return -1;
        return std::stol(m[1]);
    }

    static inline fs::path scratch_;
    static inline pid_t server_ = -1;
    static inline int port_ = 0;
    static inline std::string startError_;
};

TEST_F(HttpClientTest, GetsBodyAndValidators) {
    HttpClient client(geo::planAtlasUserAgent());
    const HttpResponse r = client.get(request("/0/0/0.png"));
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(text(r.body), kTile);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.etag.front(), '"');
    EXPECT_FALSE(r.lastModified.empty());
    EXPECT_EQ(r.contentType, "image/png");
    EXPECT_EQ(r.maxAgeSeconds, 60);
}

TEST_F(HttpClientTest, ConditionalRequestGetsNotModified) {
    HttpClient client(geo::planAtlasUserAgent());
    const HttpResponse first = client.get(request("/a.png"));
    ASSERT_TRUE(first.ok()) << first.error;

    HttpRequest byTag = request("/a.png");
    byTag.ifNoneMatch = first.etag;
    const HttpResponse second = client.get(byTag);
    EXPECT_EQ(second.status, 304);
    EXPECT_TRUE(second.notModified());
    EXPECT_FALSE(second.ok());
    EXPECT_TRUE(second.body.empty());
    EXPECT_EQ(second.etag, first.etag);

    HttpRequest byDate = request("/a.png");
    byDate.ifModifiedSince = first.lastModified;
    EXPECT_TRUE(client.get(byDate).notModified());

    HttpRequest stale = request("/a.png");
    stale.ifNoneMatch = "\"something-else\"";
    const HttpResponse third = client.get(stale);
    EXPECT_EQ(third.status, 200);
    EXPECT_EQ(text(third.body), kTile + " a");
}

TEST_F(HttpClientTest, NotFoundGivesStatusAndMessage) {
    HttpClient client(geo::planAtlasUserAgent());
    const HttpResponse r = client.get(request("/status/404/a.png", 2));
    EXPECT_EQ(r.status, 404);
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("HTTP 404"), std::string::npos) << r.error;
    EXPECT_EQ(r.attempts, 1);  // 4xx is not retried
    EXPECT_EQ(client.get(request("/no/such/file.png")).status, 404);
}

TEST_F(HttpClientTest, ServerErrorGivesStatusAndMessageAfterRetries) {
    HttpClient client(geo::planAtlasUserAgent());
    const HttpResponse once = client.get(request("/status/500/a.png", 0));
    EXPECT_EQ(once.status, 500);
    EXPECT_FALSE(once.ok());
    EXPECT_NE(once.error.find("HTTP 500"), std::string::npos) << once.error;
    EXPECT_EQ(once.attempts, 1);

    const HttpResponse retried = client.get(request("/status/500/a.png", 1));
    EXPECT_EQ(retried.status, 500);
    EXPECT_EQ(retried.attempts, 2);
}

TEST_F(HttpClientTest, FlakyServerSucceedsOnThirdAttempt) {
    HttpClient client(geo::planAtlasUserAgent());
    const HttpResponse r = client.get(request("/flaky/2/a.png", 2));
    EXPECT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.attempts, 3);
    EXPECT_EQ(text(r.body), kTile + " a");
    EXPECT_EQ(r.error, "");

    const HttpResponse giveUp = client.get(request("/flaky/5/a.png", 1));
    EXPECT_EQ(giveUp.status, 503);
    EXPECT_EQ(giveUp.attempts, 2);
}

TEST_F(HttpClientTest, TimeoutGivesNoStatusAndSaysSo) {
    HttpClient client(geo::planAtlasUserAgent());
    const HttpResponse r = client.get(request("/slow/5/a.png", 0, 1));
    EXPECT_EQ(r.status, 0);
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
    EXPECT_TRUE(r.body.empty());
}

TEST_F(HttpClientTest, RefusedConnectionGivesNoStatusAndSaysSo) {
    const int port = closedPort();
    ASSERT_GT(port, 0);
    HttpClient client(geo::planAtlasUserAgent());
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/0/0/0.png";
    req.retries = 1;
    const HttpResponse r = client.get(req);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.attempts, 2);  // a connection error is retried
    EXPECT_NE(r.error.find("refused"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << r.error;
}

TEST_F(HttpClientTest, CancelStopsASlowRequest) {
    HttpClient client(geo::planAtlasUserAgent());
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    const HttpResponse r = client.get(request("/slow/30/a.png", 2, 120), &cancel);
    canceller.join();
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.error.find("cancelled"), std::string::npos) << r.error;
    EXPECT_EQ(r.attempts, 1);  // not retried

    const HttpResponse before = client.get(request("/a.png"), &cancel);  // already cancelled
    EXPECT_FALSE(before.ok());
    EXPECT_NE(before.error.find("cancelled"), std::string::npos) << before.error;
}

TEST_F(HttpClientTest, TruncatedBodyIsAFailure) {
    HttpClient client(geo::planAtlasUserAgent());
    const HttpResponse r = client.get(request("/truncated/big.bin", 1));
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status, 0);
    EXPECT_FALSE(r.error.empty());
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(r.attempts, 2);
}

TEST_F(HttpClientTest, FollowsRedirects) {
    HttpClient client(geo::planAtlasUserAgent());
    const HttpResponse r = client.get(request("/redirect/a.png"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(text(r.body), kTile + " a");
}

TEST_F(HttpClientTest, NotAnHttpAddressIsAnError) {
    HttpClient client(geo::planAtlasUserAgent());
    for (const char* bad : {"ftp://127.0.0.1/a.png", "not a url", ""}) {
        HttpRequest req;
        req.url = bad;
        const HttpResponse r = client.get(req);
        EXPECT_EQ(r.status, 0) << bad;
        EXPECT_FALSE(r.error.empty()) << bad;
    }
}

TEST_F(HttpClientTest, SendsPlanAtlasUserAgent) {
    EXPECT_EQ(geo::planAtlasUserAgent().rfind("PlanAtlas/", 0), 0u);
    HttpClient client(geo::planAtlasUserAgent());
    ASSERT_TRUE(client.get(request("/a.png")).ok());
    EXPECT_NE(counts(client).find("\"PlanAtlas/"), std::string::npos);
}

TEST_F(HttpClientTest, KeepsConnectionsAlive) {
    HttpClient resetter(geo::planAtlasUserAgent());
    ASSERT_TRUE(resetter.get(request("/reset")).ok());
    HttpClient client(geo::planAtlasUserAgent());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(client.get(request("/a.png")).ok());
    const long connections = countField(counts(client), "connections");
    EXPECT_GE(connections, 1);
    EXPECT_LE(connections, 2);  // the eleven requests above and /count shared one connection
}

TEST_F(HttpClientTest, ManyThreadsStayWithinTheHostLimit) {
    HttpClient client(geo::planAtlasUserAgent());
    ASSERT_TRUE(client.get(request("/reset")).ok());
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 16; ++i) {
        threads.emplace_back([&, i] {
            if (client.get(request("/slow/0.5/a.png?i=" + std::to_string(i))).ok()) ++ok;
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(ok.load(), 16);
    const long most = countField(counts(client), "maxConcurrentAll");
    EXPECT_LE(most, 6);
    EXPECT_GE(most, 2);  // they did run side by side
}

TEST_F(HttpClientTest, HostLimitIsConfigurable) {
    HttpClient client(geo::planAtlasUserAgent(), 2);
    ASSERT_TRUE(client.get(request("/reset")).ok());
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&] {
            if (client.get(request("/slow/0.3/a.png")).ok()) ++ok;
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(ok.load(), 6);
    EXPECT_LE(countField(counts(client), "maxConcurrentAll"), 2);
}
