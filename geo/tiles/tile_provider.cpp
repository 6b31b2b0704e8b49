#include "tiles/tile_provider.hpp"

#include <chrono>
#include <optional>

#include "core/error.hpp"
#include "tiles/tile_image.hpp"
#include "tiles/tile_store.hpp"
#include "tiles/wmts.hpp"

namespace geo {

namespace {

int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Capabilities documents live in the tile cache under a pseudo tile of their own source id.
constexpr TileKey kCapabilitiesKey{-1, 0, 0};

std::string fetchCapabilities(const std::string& url, const TileEnvironment& env, const std::atomic<bool>* cancel) {
    std::string redacted = redactTileUrl(url);
    std::string id = tileSourceId(redacted, "capabilities");
    std::optional<CachedTile> cached;
    if (env.cache) cached = env.cache->get(id, kCapabilitiesKey);
    if (cached && !cached->absent && cached->fresh(nowSeconds()))
        return std::string(cached->data.begin(), cached->data.end());
    std::string failure;
    if (env.http && !env.offline) {
        HttpRequest req;
        std::string host = urlHost(url);
        req.url = url;
        if (env.keyFor) {
            std::string key = env.keyFor(host);
            size_t p;
            while ((p = req.url.find("{key}")) != std::string::npos) req.url.replace(p, 5, key);
        }
        HttpResponse r = env.http->get(req, cancel);
        if (r.ok()) {
            if (env.cache) {
                CachedTile t;
                t.data = r.body;
                t.fetchedAt = nowSeconds();
                t.expiresAt = r.maxAgeSeconds >= 0 ? t.fetchedAt + r.maxAgeSeconds : 0;
                t.etag = r.etag;
                t.lastModified = r.lastModified;
                env.cache->put(id, kCapabilitiesKey, t);
            }
            return std::string(r.body.begin(), r.body.end());
        }
        failure = r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error;
    } else {
        failure = "offline, and the capabilities are not in the cache";
    }
    if (cached && !cached->absent) return std::string(cached->data.begin(), cached->data.end());
    throw IoError(redacted, "", "cannot read the WMTS capabilities: " + failure);
}

// The host a key is kept under, as a message names it: the template's host without its {s} labels
// ("t{s}.tianditu.gov.cn" -> "tianditu.gov.cn"; keys match a host and its subdomains).
std::string keyHostOf(const std::string& host) {
    size_t brace = host.find_last_of("{}");
    if (brace == std::string::npos) return host;
    size_t dot = host.find('.', brace);
    return dot == std::string::npos ? host : host.substr(dot + 1);
}

std::mutex gEnvMutex;
std::optional<TileEnvironment> gEnv;

}  // namespace

TileEnvironment tileEnvironment() {
    std::lock_guard<std::mutex> lock(gEnvMutex);
    if (!gEnv) {
        TileEnvironment env;
        env.http = std::make_shared<HttpClient>(planAtlasUserAgent());
        try {
            env.cache = std::make_shared<TileCache>(defaultTileCacheDir(), kDefaultTileCacheBytes);
        } catch (const Error&) {
            env.cache.reset();  // tiles still draw, fetched anew each run
        }
        gEnv = std::move(env);
    }
    return *gEnv;
}

void setTileEnvironment(TileEnvironment env) {
    std::lock_guard<std::mutex> lock(gEnvMutex);
    gEnv = std::move(env);
}

TileProvider::~TileProvider() = default;

std::shared_ptr<TileProvider> TileProvider::open(const TileSourceSpec& spec, const TileEnvironment& env,
                                                 const std::atomic<bool>* cancel) {
    std::shared_ptr<TileProvider> p(new TileProvider());
    p->spec_ = spec;
    p->env_ = env;
    const TileOptions& o = spec.options;
    switch (spec.kind) {
    case TileKind::Xyz: {
        p->template_ = spec.source;
        p->name_ = redactTileUrl(spec.source);
        if (o.maxZoom < 0 || o.maxZoom > 30 || o.minZoom < 0 || o.minZoom > o.maxZoom)
            throw FormatError(p->name_, "", "tile zoom range " + std::to_string(o.minZoom) + "-" +
                                                std::to_string(o.maxZoom) + " is not within 0-30");
        if (o.tileSize != 256 && o.tileSize != 512)
            throw FormatError(p->name_, "", "tile size " + std::to_string(o.tileSize) + " (256 or 512 expected)");
        if (spec.source.find("{s}") != std::string::npos && o.subdomains.empty())
            throw FormatError(p->name_, "", "the template has {s} but no \"subdomains\" are given");
        p->grid_ = webMercatorGrid(o.minZoom, o.maxZoom, o.tileSize);
        break;
    }
    case TileKind::Wmts: {
        std::string capsUrl = wmtsCapabilitiesUrl(spec.source);
        p->name_ = redactTileUrl(capsUrl);
        WmtsCapabilities caps;
        try {
            caps = parseWmtsCapabilities(fetchCapabilities(capsUrl, env, cancel));
        } catch (const FormatError& e) {
            throw FormatError(p->name_, "", e.what());
        }
        WmtsChoice choice = chooseWmts(caps, o);
        p->template_ = choice.urlTemplate;
        // A key on the capabilities URL (Tianditu: ...&tk={key}) goes on every tile request too, when the
        // service's own tile URLs do not carry it.
        if (size_t at = capsUrl.find("={key}"); at != std::string::npos && p->template_.find("{key}") == std::string::npos) {
            size_t start = capsUrl.find_last_of("?&", at);
            if (start != std::string::npos) {
                const std::string param = capsUrl.substr(start + 1, at - start - 1);
                p->template_ += (p->template_.find('?') == std::string::npos ? "?" : "&") + param + "={key}";
            }
        }
        p->grid_ = choice.grid;
        for (const TileMatrix& m : p->grid_.levels) p->matrixIds_.push_back(m.id);
        // A project's zoom range narrows the service's.
        if (o.maxZoom < p->grid_.maxLevel() && o.maxZoom >= p->grid_.minLevel) p->grid_.levels.resize(size_t(o.maxZoom) + 1);
        p->grid_.minLevel = std::max(p->grid_.minLevel, std::min(o.minZoom, p->grid_.maxLevel()));
        break;
    }
    case TileKind::MBTiles:
    case TileKind::GpkgTiles: {
        p->name_ = spec.source;
        p->file_ = TileFile::open(spec.source, spec.table);
        p->grid_ = p->file_->grid();
        p->attribution_ = p->file_->attribution();
        break;
    }
    case TileKind::None:
        throw FormatError(spec.source, "", "not a tile source");
    }
    if (p->grid_.levels.empty()) throw FormatError(p->name_, "", "the tile source has no zoom levels");
    if (p->remote()) p->sourceId_ = tileSourceId(redactTileUrl(p->template_), std::to_string(p->grid_.tileWidth));
    return p;
}

std::string TileProvider::attribution() const { return attribution_; }

std::string TileProvider::urlFor(const TileKey& k, bool withKey) const {
    std::string key;
    if (withKey && env_.keyFor) key = env_.keyFor(urlHost(template_));
    std::string matrix = size_t(k.z) < matrixIds_.size() ? matrixIds_[size_t(k.z)] : "";
    std::string url = expandTileUrl(template_, k, spec_.options, withKey ? key : "{key}", matrix);
    return withKey ? url : redactTileUrl(url);
}

TileStats TileProvider::stats() const {
    std::lock_guard<std::mutex> lock(statsMutex_);
    return stats_;
}

TileFetch TileProvider::cached(const TileKey& k) {
    TileFetch f;
    if (k.z < grid_.minLevel || k.z > grid_.maxLevel()) {
        f.status = TileStatus::Absent;
        return f;
    }
    if (file_) {
        std::optional<std::vector<uint8_t>> bytes = file_->read(k);
        f.fromCache = true;
        if (bytes && !bytes->empty()) {
            f.status = TileStatus::Ok;
            f.data = std::move(*bytes);
        } else {
            f.status = TileStatus::Absent;
        }
        return f;
    }
    if (env_.cache) {
        if (std::optional<CachedTile> c = env_.cache->get(sourceId_, k)) {
            f.fromCache = true;
            f.status = c->absent ? TileStatus::Absent : TileStatus::Ok;
            f.data = std::move(c->data);
            return f;
        }
    }
    f.status = TileStatus::Missing;
    f.error = "not in the tile cache";
    return f;
}

TileFetch TileProvider::fetch(const TileKey& k, const std::atomic<bool>* cancel) {
    if (file_ || k.z < grid_.minLevel || k.z > grid_.maxLevel()) return cached(k);
    int64_t now = nowSeconds();
    std::optional<CachedTile> stale;
    if (env_.cache) {
        stale = env_.cache->get(sourceId_, k);
        if (stale && stale->fresh(now)) {
            std::lock_guard<std::mutex> lock(statsMutex_);
            ++stats_.cacheHits;
            TileFetch f;
            f.fromCache = true;
            f.status = stale->absent ? TileStatus::Absent : TileStatus::Ok;
            f.data = std::move(stale->data);
            return f;
        }
    }
    auto fromStale = [&](const std::string& why) {
        TileFetch f;
        std::lock_guard<std::mutex> lock(statsMutex_);
        if (stale) {
            ++stats_.cacheHits;
            f.fromCache = true;
            f.status = stale->absent ? TileStatus::Absent : TileStatus::Ok;
            f.data = std::move(stale->data);
        } else {
            ++stats_.failed;
            f.status = TileStatus::Missing;
            f.error = why;
        }
        return f;
    };
    if (env_.offline || !env_.http) return fromStale("offline, and the tile is not in the cache");
    std::string key;
    if (template_.find("{key}") != std::string::npos) {
        std::string host = urlHost(template_);
        if (env_.keyFor) key = env_.keyFor(host);
        if (key.empty())
            return fromStale("the source needs a key for " + keyHostOf(host) +
                             " (Settings > Basemap keys, or `planatlas tiles key " + keyHostOf(host) + " KEY`)");
    }
    HttpRequest req;
    req.url = urlFor(k, true);
    if (stale && !stale->absent) {
        req.ifNoneMatch = stale->etag;
        req.ifModifiedSince = stale->lastModified;
    }
    HttpResponse r = env_.http->get(req, cancel);
    auto remember = [&](CachedTile t) {
        t.fetchedAt = now;
        t.expiresAt = r.maxAgeSeconds >= 0 ? now + r.maxAgeSeconds : 0;
        if (!r.etag.empty()) t.etag = r.etag;
        if (!r.lastModified.empty()) t.lastModified = r.lastModified;
        if (env_.cache) env_.cache->put(sourceId_, k, t);
        return t;
    };
    std::string where = urlFor(k, false);
    if (r.notModified() && stale) {
        CachedTile t = remember(*stale);
        std::lock_guard<std::mutex> lock(statsMutex_);
        ++stats_.network;
        stats_.lastNetworkFailed = false;
        TileFetch f;
        f.status = t.absent ? TileStatus::Absent : TileStatus::Ok;
        f.data = std::move(t.data);
        return f;
    }
    if (r.ok() && !r.body.empty()) {
        if (tileImageFormat(r.body).empty()) {
            std::lock_guard<std::mutex> lock(statsMutex_);
            stats_.lastError = where + ": the server sent something that is not an image (" +
                               (r.contentType.empty() ? "no content type" : r.contentType) + ")";
            TileFetch f;
            ++stats_.failed;
            f.status = TileStatus::Missing;
            f.error = stats_.lastError;
            return f;
        }
        CachedTile t;
        t.data = r.body;
        remember(std::move(t));
        std::lock_guard<std::mutex> lock(statsMutex_);
        ++stats_.network;
        stats_.lastNetworkFailed = false;
        TileFetch f;
        f.status = TileStatus::Ok;
        f.data = std::move(r.body);
        return f;
    }
    if (r.status == 404 || r.status == 204 || (r.ok() && r.body.empty())) {
        CachedTile t;
        t.absent = true;
        remember(t);
        std::lock_guard<std::mutex> lock(statsMutex_);
        ++stats_.network;
        ++stats_.absent;
        stats_.lastNetworkFailed = false;
        TileFetch f;
        f.status = TileStatus::Absent;
        return f;
    }
    std::string why = where + ": " + (r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error);
    {
        std::lock_guard<std::mutex> lock(statsMutex_);
        stats_.lastNetworkFailed = true;
        stats_.lastError = why;
    }
    return fromStale(why);
}

}  // namespace geo
