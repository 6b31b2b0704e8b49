#include "cli/story_command.hpp"

#include <cstdio>
#include <sstream>

#include "catalog/catalog.hpp"
#include "cli/args.hpp"
#include "core/error.hpp"
#include "layer/layer_content.hpp"
#include "present/story.hpp"
#include "project/project.hpp"
#include "source/vector_source.hpp"

namespace app::cli {

int runStory(int argc, char** argv) {
    return runCommand("story", [&]() -> int {
        Args args(argc, argv, 2);
        auto projectPath = args.take("--project");
        auto dossierText = args.take("--dossiers");
        auto out = args.take("--out");
        auto language = args.take("--language");
        args.rest();
        if (language && *language != "zh" && *language != "en" && *language != "both")
            throw UsageError("--language is zh, en or both");
        if (!projectPath) throw UsageError("--project FILE is required");
        std::vector<std::string> dossiers;
        if (dossierText) {
            std::stringstream ss(*dossierText);
            for (std::string id; std::getline(ss, id, ',');)
                if (!id.empty()) dossiers.push_back(id);
        }
        geo::Project project = geo::loadProject(*projectPath);
        if (language) project.language = *language == "both" ? "" : *language;  // kept in the project
        for (const auto& l : project.layers) {
            if (geo::isRasterLayer(l)) continue;
            geo::VectorData d = geo::readVectorLayer(l.source, l.layer, nullptr, l.options);
            if (!geo::isCatalog(d.table)) continue;
            project.slides = geo::generateStory(d.table, geo::validateCatalog(d.table), dossiers, project.language);
            geo::saveProject(project, out ? *out : *projectPath);
            std::fprintf(stderr, "planatlas story: %zu slides from %s written to %s\n", project.slides.size(),
                         l.name.c_str(), (out ? *out : *projectPath).c_str());
            return 0;
        }
        throw geo::FormatError(*projectPath, "", "the project has no plan-project catalog layer");
    });
}

}  // namespace app::cli
