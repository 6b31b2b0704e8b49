#pragma once
// The HTTP client's messages: curl results and HTTP statuses as sentences (geo/tiles/http_client.cpp). Internal to
// geo/tiles.
#include <curl/curl.h>

#include <string>

#include "tiles/http_client.hpp"

namespace geo::http_detail {

// scheme://host:port of `url`, or "" when it is not an http(s) URL; `hostPort` gets host:port.
std::string hostKey(const std::string& url, std::string* hostPort = nullptr);

std::string statusMessage(int status);

struct Failure {
    std::string message;
    bool retry = false;
};
// What went wrong with a transfer that ended in `rc` (`detail`: curl's error buffer; `received`: the body's bytes so
// far; `tooLarge`: the body passed the client's limit), and whether trying again may help.
Failure describe(CURLcode rc, CURL* easy, const HttpRequest& req, const char* detail, size_t received, bool tooLarge);

}  // namespace geo::http_detail
