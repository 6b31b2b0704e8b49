#include "platform/file_dialog.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <libportal/portal.h>

namespace app::platform {

namespace {

const char* kPortalName = "org.freedesktop.portal.Desktop";

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

FileFilter filter(const std::string& name, std::initializer_list<const char*> extensions) {
    FileFilter f{name, {}};
    for (const char* e : extensions) f.patterns.push_back(std::string("*.") + e);
    for (const char* e : extensions) f.patterns.push_back("*." + upper(e));
    return f;
}

GVariant* filterVariant(const FileFilter& f) {
    GVariantBuilder patterns;
    g_variant_builder_init(&patterns, G_VARIANT_TYPE("a(us)"));
    for (const auto& p : f.patterns) g_variant_builder_add(&patterns, "(us)", 0u, p.c_str());  // 0: a glob
    return g_variant_new("(sa(us))", f.name.c_str(), &patterns);
}

GVariant* filtersVariant(const std::vector<FileFilter>& filters) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a(sa(us))"));
    for (const auto& f : filters) g_variant_builder_add_value(&b, filterVariant(f));
    return g_variant_builder_end(&b);
}

bool runtimeBusIsSocket() {
    const char* dir = std::getenv("XDG_RUNTIME_DIR");
    if (!dir || !*dir) return false;
    struct stat st {};
    return ::stat((std::string(dir) + "/bus").c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

bool portalOnBus(GDBusConnection* bus) {
    auto call = [&](const char* method, GVariant* args, const char* type) {
        return g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           method, args, G_VARIANT_TYPE(type), G_DBUS_CALL_FLAGS_NONE, 1000, nullptr,
                                           nullptr);
    };
    bool found = false;
    if (GVariant* r = call("NameHasOwner", g_variant_new("(s)", kPortalName), "(b)")) {
        gboolean owned = FALSE;
        g_variant_get(r, "(b)", &owned);
        found = owned;
        g_variant_unref(r);
    }
    if (found) return true;
    if (GVariant* r = call("ListActivatableNames", nullptr, "(as)")) {
        GVariantIter* it = nullptr;
        const char* name = nullptr;
        g_variant_get(r, "(as)", &it);
        while (g_variant_iter_loop(it, "&s", &name))
            if (g_strcmp0(name, kPortalName) == 0) found = true;
        g_variant_iter_free(it);
        g_variant_unref(r);
    }
    return found;
}

}  // namespace

std::vector<FileFilter> filtersFor(FileKind kind, DialogMode mode) {
    switch (kind) {
    case FileKind::Project:
        return {{"Plan Atlas projects (*.atlas.json)", {"*.atlas.json", "*.ATLAS.JSON"}}, filter("JSON", {"json"})};
    case FileKind::GisData:
        return {filter("GIS files", {"gpkg", "geojson", "json", "shp", "kml", "fgb", "csv", "tif", "tiff"}),
                filter("GeoPackage", {"gpkg"}), filter("GeoJSON", {"geojson", "json"}), filter("Shapefile", {"shp"}),
                filter("KML", {"kml"}), filter("FlatGeobuf", {"fgb"}), filter("CSV", {"csv"}),
                filter("GeoTIFF", {"tif", "tiff"})};
    case FileKind::ExportImage:
        if (mode == DialogMode::Open) return {filter("Images and PDF", {"png", "tif", "tiff", "pdf"})};
        return {filter("Images and PDF", {"png", "tif", "tiff", "pdf"}), filter("PNG", {"png"}),
                filter("GeoTIFF", {"tif", "tiff"}), filter("PDF", {"pdf"})};
    }
    return {};
}

bool usePortal(const PortalProbe& p) {
    return !p.disabledByUser && p.sessionBusAddress && p.busConnected && p.portalOnBus && !p.failedBefore;
}

bool sessionBusAddressKnown(const char* dbusSessionBusAddress, bool runtimeBusIsSocket) {
    return (dbusSessionBusAddress && *dbusSessionBusAddress) || runtimeBusIsSocket;
}

struct FileDialogs::Impl {
    struct Shared {
        std::vector<DialogResult> done;
        int pending = 0;
    };
    struct Call {
        std::shared_ptr<Shared> shared;
        int purpose;
        DialogMode mode;
    };

    bool probed = false;
    PortalProbe probe;
    XdpPortal* portal = nullptr;
    GCancellable* cancellable = nullptr;
    std::shared_ptr<Shared> shared = std::make_shared<Shared>();

    void runProbe() {
        probed = true;
        probe = PortalProbe{};
        probe.disabledByUser = std::getenv("PLANATLAS_NO_PORTAL") != nullptr;
        probe.sessionBusAddress = sessionBusAddressKnown(std::getenv("DBUS_SESSION_BUS_ADDRESS"), runtimeBusIsSocket());
        if (probe.disabledByUser || !probe.sessionBusAddress) return;
        GError* error = nullptr;
        GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
        if (!bus) {
            g_clear_error(&error);
            return;
        }
        g_dbus_connection_set_exit_on_close(bus, FALSE);  // a bus going away must not end the program
        probe.busConnected = true;
        probe.portalOnBus = portalOnBus(bus);
        if (usePortal(probe)) {
            portal = xdp_portal_new();  // shares the session bus connection made above
            cancellable = g_cancellable_new();
        }
        g_object_unref(bus);
    }

    static void finished(GObject* source, GAsyncResult* result, gpointer data) {
        std::unique_ptr<Call> call(static_cast<Call*>(data));
        GError* error = nullptr;
        GVariant* ret = call->mode == DialogMode::Open ? xdp_portal_open_file_finish(XDP_PORTAL(source), result, &error)
                                                       : xdp_portal_save_file_finish(XDP_PORTAL(source), result, &error);
        DialogResult r;
        r.purpose = call->purpose;
        if (ret) {
            const char** uris = nullptr;
            if (g_variant_lookup(ret, "uris", "^a&s", &uris) && uris && uris[0]) {
                if (char* file = g_filename_from_uri(uris[0], nullptr, nullptr)) {
                    r.path = file;
                    g_free(file);
                } else {
                    r.error = std::string("the dialog returned a location that is not a local file: ") + uris[0];
                }
            }
            g_free(uris);
            g_variant_unref(ret);
        } else if (error && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
            r.error = error->message;
        }
        g_clear_error(&error);
        call->shared->pending--;
        call->shared->done.push_back(std::move(r));
    }
};

FileDialogs::FileDialogs() : impl_(std::make_unique<Impl>()) {}

FileDialogs::~FileDialogs() {
    // Open dialogs are closed; their callbacks would only run from poll(), which no longer happens.
    if (impl_->cancellable) {
        g_cancellable_cancel(impl_->cancellable);
        g_object_unref(impl_->cancellable);
    }
    if (impl_->portal) g_object_unref(impl_->portal);
}

const PortalProbe& FileDialogs::probe() {
    if (!impl_->probed) impl_->runProbe();
    return impl_->probe;
}

bool FileDialogs::available() { return usePortal(probe()) && impl_->portal; }

bool FileDialogs::pending() const { return impl_->shared->pending > 0; }

bool FileDialogs::start(const DialogRequest& request) {
    if (!available() || pending()) return false;
    auto filters = filtersFor(request.kind, request.mode);
    GVariant* all = filtersVariant(filters);
    GVariant* current = filters.empty() ? nullptr : filterVariant(filters.front());
    auto* call = new Impl::Call{impl_->shared, request.purpose, request.mode};
    impl_->shared->pending++;
    const char* folder = request.folder.empty() ? nullptr : request.folder.c_str();
    if (request.mode == DialogMode::Open) {
        // libportal 0.6 offers a parent window only through its GTK/Qt helper libraries: none here.
        xdp_portal_open_file(impl_->portal, nullptr, request.title.c_str(), all, current, nullptr,
                             XDP_OPEN_FILE_FLAG_NONE, impl_->cancellable, &Impl::finished, call);
    } else {
        xdp_portal_save_file(impl_->portal, nullptr, request.title.c_str(),
                             request.currentName.empty() ? nullptr : request.currentName.c_str(), folder, nullptr, all,
                             current, nullptr, XDP_SAVE_FILE_FLAG_NONE, impl_->cancellable, &Impl::finished, call);
    }
    return true;
}

std::vector<DialogResult> FileDialogs::poll() {
    if (impl_->portal) {
        // Non-blocking: dispatch what is ready (a D-Bus reply can take a few rounds), never wait.
        for (int i = 0; i < 16 && g_main_context_iteration(nullptr, FALSE); ++i) {
        }
    }
    std::vector<DialogResult> out = std::move(impl_->shared->done);
    impl_->shared->done.clear();
    for (const auto& r : out)
        if (!r.error.empty()) impl_->probe.failedBefore = true;  // from now on the typed paths
    return out;
}

}  // namespace app::platform
