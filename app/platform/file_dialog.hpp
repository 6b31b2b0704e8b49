#pragma once
// Native file dialogs through xdg-desktop-portal (libportal), asynchronous: start() sends the request and returns
// at once; poll(), once per frame, runs GLib's main context without blocking and hands back the dialogs that
// finished. The UI never waits for the user.
//
// Without a portal (no session D-Bus, as under Xvfb; no portal service on the bus; PLANATLAS_NO_PORTAL set) or
// after a portal call failed, available() is false and the viewer shows its typed-path fields instead.
// No ImGui, no GL here. Main thread only.
#include <memory>
#include <string>
#include <vector>

namespace app::platform {

enum class FileKind { Project, GisData, ExportImage };
enum class DialogMode { Open, Save };

struct DialogRequest {
    DialogMode mode = DialogMode::Open;
    FileKind kind = FileKind::Project;
    std::string title;
    std::string folder;       // where the dialog starts ("" = the portal's choice)
    std::string currentName;  // Save: the proposed file name
    int purpose = 0;          // the caller's tag, handed back with the result
};

struct DialogResult {
    int purpose = 0;
    std::string path;   // empty when cancelled or failed
    std::string error;  // the portal call failed (not a cancel): fall back to the typed path
};

// File-type filters, as (name, glob patterns); the first is the one selected. Both letter cases are listed
// because portal globs are case-sensitive.
struct FileFilter {
    std::string name;
    std::vector<std::string> patterns;
};
std::vector<FileFilter> filtersFor(FileKind kind, DialogMode mode);

// What decides between the portal and the typed-path fallback; gathered by probePortal().
struct PortalProbe {
    bool disabledByUser = false;     // PLANATLAS_NO_PORTAL is set
    bool sessionBusAddress = false;  // DBUS_SESSION_BUS_ADDRESS, or a socket at $XDG_RUNTIME_DIR/bus
    bool busConnected = false;       // the session bus answered
    bool portalOnBus = false;        // org.freedesktop.portal.Desktop is running or activatable
    bool failedBefore = false;       // a portal call already failed this session
};
// The decision: the portal only when all of it holds; otherwise the typed-path fields.
bool usePortal(const PortalProbe& p);
// Whether a session bus address is known, from the environment's values (no autolaunch of a bus: GLib would
// otherwise try dbus-launch on X11). `runtimeBusIsSocket` is whether $XDG_RUNTIME_DIR/bus is a socket.
bool sessionBusAddressKnown(const char* dbusSessionBusAddress, bool runtimeBusIsSocket);

class FileDialogs {
public:
    FileDialogs();
    ~FileDialogs();
    FileDialogs(const FileDialogs&) = delete;
    FileDialogs& operator=(const FileDialogs&) = delete;

    // Probes the environment and the bus once (cheap without a bus: environment and one stat); later calls
    // return the same answer until a portal call fails.
    bool available();
    const PortalProbe& probe();
    // Sends the request; false when the portal is not available or a dialog is already open.
    bool start(const DialogRequest& request);
    bool pending() const;
    // Runs GLib's default main context without blocking and returns the dialogs that finished.
    std::vector<DialogResult> poll();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace app::platform
