// Native file dialogs: when the portal is used and when the typed-path fallback is, and the file-type filters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "platform/file_dialog.hpp"

namespace fs = std::filesystem;
using namespace app::platform;

namespace {

TEST(FileDialogDecision, PortalOnlyWhenEverythingHolds) {
    PortalProbe ok;
    ok.sessionBusAddress = ok.busConnected = ok.portalOnBus = true;
    EXPECT_TRUE(usePortal(ok));
    PortalProbe p = ok;
    p.disabledByUser = true;
    EXPECT_FALSE(usePortal(p));
    p = ok;
    p.sessionBusAddress = false;  // Xvfb, ssh, a bare session: no bus
    EXPECT_FALSE(usePortal(p));
    p = ok;
    p.busConnected = false;  // an address that does not answer
    EXPECT_FALSE(usePortal(p));
    p = ok;
    p.portalOnBus = false;  // a bus without xdg-desktop-portal
    EXPECT_FALSE(usePortal(p));
    p = ok;
    p.failedBefore = true;  // a portal call failed: typed paths from then on
    EXPECT_FALSE(usePortal(p));
    EXPECT_FALSE(usePortal(PortalProbe{}));
}

TEST(FileDialogDecision, SessionBusAddressFromTheEnvironmentOnly) {
    EXPECT_FALSE(sessionBusAddressKnown(nullptr, false));
    EXPECT_FALSE(sessionBusAddressKnown("", false));
    EXPECT_TRUE(sessionBusAddressKnown("unix:path=/run/user/1000/bus", false));
    EXPECT_TRUE(sessionBusAddressKnown(nullptr, true));  // systemd's user bus at $XDG_RUNTIME_DIR/bus
}

// The environment of a test process, changed for one test.
class Env {
public:
    void set(const char* name, const char* value) {
        remember(name);
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~Env() {
        for (auto& [name, value] : saved_) {
            if (value) ::setenv(name.c_str(), value->c_str(), 1);
            else ::unsetenv(name.c_str());
        }
    }

private:
    void remember(const char* name) {
        for (auto& s : saved_)
            if (s.first == name) return;
        const char* v = std::getenv(name);
        saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
    }
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// What Xvfb gives: no session bus. The dialogs say so and start nothing; the viewer shows its typed paths.
TEST(FileDialogs, NoSessionBusMeansTheTypedPathFallback) {
    Env env;
    env.set("DBUS_SESSION_BUS_ADDRESS", nullptr);
    env.set("XDG_RUNTIME_DIR", fs::temp_directory_path().c_str());  // no "bus" socket there
    env.set("PLANATLAS_NO_PORTAL", nullptr);
    FileDialogs dialogs;
    EXPECT_FALSE(dialogs.probe().sessionBusAddress);
    EXPECT_FALSE(dialogs.available());
    DialogRequest r;
    r.title = "Open project";
    EXPECT_FALSE(dialogs.start(r));
    EXPECT_FALSE(dialogs.pending());
    EXPECT_TRUE(dialogs.poll().empty());
}

TEST(FileDialogs, AnUnreachableBusMeansTheTypedPathFallback) {
    Env env;
    env.set("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/planatlas-test-bus");
    env.set("PLANATLAS_NO_PORTAL", nullptr);
    FileDialogs dialogs;
    EXPECT_TRUE(dialogs.probe().sessionBusAddress);
    EXPECT_FALSE(dialogs.probe().busConnected);
    EXPECT_FALSE(dialogs.available());
    EXPECT_FALSE(dialogs.start(DialogRequest{}));
}

TEST(FileDialogs, DisabledByTheUser) {
    Env env;
    env.set("PLANATLAS_NO_PORTAL", "1");
    FileDialogs dialogs;
    EXPECT_TRUE(dialogs.probe().disabledByUser);
    EXPECT_FALSE(dialogs.available());
}

bool offers(const std::vector<FileFilter>& filters, const std::string& pattern) {
    for (const auto& f : filters)
        if (std::count(f.patterns.begin(), f.patterns.end(), pattern)) return true;
    return false;
}

TEST(FileDialogFilters, ProjectsGisFilesAndImages) {
    auto projects = filtersFor(FileKind::Project, DialogMode::Open);
    ASSERT_FALSE(projects.empty());
    EXPECT_EQ(projects.front().patterns.front(), "*.atlas.json");
    auto gis = filtersFor(FileKind::GisData, DialogMode::Open);
    for (const char* p : {"*.gpkg", "*.geojson", "*.json", "*.shp", "*.kml", "*.fgb", "*.csv", "*.tif", "*.tiff",
                          "*.GPKG", "*.SHP"}) {
        EXPECT_TRUE(std::count(gis.front().patterns.begin(), gis.front().patterns.end(), p)) << p;
    }
    auto images = filtersFor(FileKind::ExportImage, DialogMode::Save);
    for (const char* p : {"*.png", "*.tif", "*.pdf"}) EXPECT_TRUE(offers(images, p)) << p;
    EXPECT_FALSE(offers(images, "*.gpkg"));
}

}  // namespace
