#include "render/composition.hpp"

namespace app::render {

geo::View frameForView(const geo::View& base, const geo::ProjectView& pv, const geo::Crs& crs, double pixelMeters) {
    return geo::viewAt(base, pv.lon, pv.lat, pv.scale, crs, pixelMeters);
}

std::optional<geo::View> frameForSlide(const geo::View& base, const geo::Slide& slide, const geo::Project& project,
                                       const Scene& scene, const geo::Crs& crs, double pixelMeters,
                                       double roomFactor) {
    geo::BBox fit = scene.projectsBox(project, slide.fitProjects, crs);
    if (!fit.empty()) {
        if (fit.width() == 0 && fit.height() == 0) {  // a single point: 1:5000 around it
            geo::View t = base;
            t.centerX = fit.centerX();
            t.centerY = fit.centerY();
            geo::setScale(t, geo::Transformer(crs, geo::Crs::wgs84()), 5000, pixelMeters);
            fit.add(t.extent());
        }
        geo::View v = base;
        v.fit(fit, 0.12);
        v.resolution *= roomFactor;
        return v;
    }
    if (slide.view.scale > 0) return frameForView(base, slide.view, crs, pixelMeters);
    return std::nullopt;
}

geo::View frameForFeature(const geo::View& base, const geo::BBox& target, const geo::Crs& crs) {
    geo::View to = base;
    to.fit(target, 0.3);
    geo::Transformer toWgs(crs, geo::Crs::wgs84());
    const bool point = target.width() <= 0 && target.height() <= 0;
    if (point || geo::scaleDenominator(to, toWgs) < 2000) {
        to.centerX = target.centerX();
        to.centerY = target.centerY();
        to.resolution = base.resolution;
        geo::setScale(to, toWgs, point ? 5000 : 2000);
    }
    return to;
}

}  // namespace app::render
