#pragma once
namespace app::cli {
// `planatlas story --project FILE [--dossiers ID,ID] [--out FILE]`: writes a story generated from the project's
// catalog layer (title, nine sections, dossiers) into the project file. Returns the exit code.
int runStory(int argc, char** argv);
}  // namespace app::cli
