#include "tiles/http_messages.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace geo::http_detail {

namespace {

// "15 s", "0.5 s"
std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", s);
    return buf;
}

}  // namespace

// scheme://host:port of `url`, or "" when it is not an http(s) URL.
std::string hostKey(const std::string& url, std::string* hostPort) {
    CURLU* u = curl_url();
    if (!u) return "";
    std::string key;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
        char *scheme = nullptr, *host = nullptr, *port = nullptr;
        if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
            std::string s = scheme;
            std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
            if (s == "http" || s == "https") {
                key = s + "://" + host + ":" + port;
                if (hostPort) *hostPort = std::string(host) + ":" + port;
            }
        }
        curl_free(scheme);
        curl_free(host);
        curl_free(port);
    }
    curl_url_cleanup(u);
    return key;
}

// ---------------------------------------------------------------------------------------------------------------
// [SECTION] Messages
// ---------------------------------------------------------------------------------------------------------------

std::string statusMessage(int status) {
    std::string s = "HTTP " + std::to_string(status);
    switch (status) {
        case 400:
            return s + " (the server did not understand the request)";
        case 401:
            return s + " (the server asks for a login or a key)";
        case 403:
            return s + " (access denied: check the key)";
        case 404:
            return s + " (not found)";
        case 410:
            return s + " (gone)";
        case 429:
            return s + " (too many requests)";
        case 500:
            return s + " (server error)";
        case 502:
            return s + " (bad gateway)";
        case 503:
            return s + " (service unavailable)";
        case 504:
            return s + " (gateway timeout)";
        default:
            return s;
    }
}

Failure describe(CURLcode rc, CURL* easy, const HttpRequest& req, const char* detail, size_t received, bool tooLarge) {
    std::string hostPort;
    char* effective = nullptr;
    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
    hostKey(effective ? effective : req.url, &hostPort);
    if (hostPort.empty()) hostKey(req.url, &hostPort);
    const std::string why = detail && *detail ? std::string(": ") + detail : std::string();
    switch (rc) {
        case CURLE_COULDNT_CONNECT: {
            long err = 0;
            curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &err);
            if (err == ECONNREFUSED) return {"connection refused by " + hostPort, true};
            return {"could not connect to " + hostPort + (err ? std::string(" (") + std::strerror(int(err)) + ")" : ""),
                    true};
        }
        case CURLE_COULDNT_RESOLVE_HOST: {
            const size_t colon = hostPort.rfind(':');
            return {"host not found: " + hostPort.substr(0, colon) + " (check the address and the network)", false};
        }
        case CURLE_COULDNT_RESOLVE_PROXY:
            return {"proxy not found" + why, false};
        case CURLE_OPERATION_TIMEDOUT: {
            // libcurl says which phase ran out ("Resolving timed out", "Connection timed out", "Operation timed out");
            // the connect time cannot tell, being 0 on a reused connection too.
            const std::string d = detail ? detail : "";
            if (d.rfind("Connection timed out", 0) == 0 || d.rfind("Resolving timed out", 0) == 0) {
                return {"connecting to " + hostPort + " timed out after " +
                            seconds(std::min(req.connectTimeoutSeconds, req.timeoutSeconds)),
                        true};
            }
            return {"timed out after " + seconds(req.timeoutSeconds), true};
        }
        case CURLE_PARTIAL_FILE:
            return {"the connection to " + hostPort + " closed before the whole response came (" +
                        std::to_string(received) + " bytes received)",
                    true};
        case CURLE_GOT_NOTHING:
            return {hostPort + " closed the connection without answering", true};
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
            return {"the connection to " + hostPort + " broke" + why, true};
        case CURLE_TOO_MANY_REDIRECTS:
            return {"more than 5 redirects", false};
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
            return {"not a valid http or https address", false};
        case CURLE_PEER_FAILED_VERIFICATION:
            return {"the certificate of " + hostPort + " is not trusted" + why, false};
        case CURLE_SSL_CONNECT_ERROR:
            return {"secure connection to " + hostPort + " failed" + why, true};
        case CURLE_BAD_CONTENT_ENCODING:
            return {"the server sent a damaged compressed response", true};
        case CURLE_WRITE_ERROR:
            if (tooLarge) return {"the response is larger than 256 MiB", false};
            return {"could not store the response", false};
        case CURLE_ABORTED_BY_CALLBACK:
            return {"cancelled", false};
        case CURLE_OUT_OF_MEMORY:
            return {"out of memory", false};
        default:
            return {std::string(curl_easy_strerror(rc)) + why, false};
    }
}

}  // namespace geo::http_detail
