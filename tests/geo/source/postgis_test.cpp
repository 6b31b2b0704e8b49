// PG: sources without a server (#11): which sources are databases, passwords taken out of connection strings
// and messages, and project files that keep the connection but never its password. The reads themselves are in
// postgis_server_test.cpp, against a real server (tests/app/postgis_test.sh).
#include "source/postgis.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "project/project.hpp"

namespace {

TEST(PostGisSource, DatabaseSourcesAreThePgPrefix) {
    EXPECT_TRUE(geo::isDatabaseSource("PG:dbname=plan"));
    EXPECT_TRUE(geo::isDatabaseSource("pg:service=planning"));
    EXPECT_FALSE(geo::isDatabaseSource("/data/PG:dbname.gpkg"));
    EXPECT_FALSE(geo::isDatabaseSource("plan.gpkg"));
    EXPECT_FALSE(geo::isDatabaseSource("PG"));
    EXPECT_FALSE(geo::isDatabaseSource(""));
}

TEST(PostGisSource, RedactsKeywordPasswords) {
    EXPECT_EQ(geo::redactConnection("PG:dbname=plan password=secret host=/tmp"), "PG:dbname=plan host=/tmp");
    EXPECT_EQ(geo::redactConnection("PG:password=secret dbname=plan"), "PG:dbname=plan");
    EXPECT_EQ(geo::redactConnection("PG:dbname=plan password = 'se cr\\'et' user=u"), "PG:dbname=plan user=u");
    EXPECT_EQ(geo::redactConnection("PG:dbname=plan PASSWORD=secret"), "PG:dbname=plan");
    EXPECT_EQ(geo::redactConnection("PG:dbname=plan sslpassword=secret sslmode=require"),
              "PG:dbname=plan sslmode=require");
    // Other keys that merely contain the word stay.
    EXPECT_EQ(geo::redactConnection("PG:dbname=plan passfile=/home/u/.pgpass"),
              "PG:dbname=plan passfile=/home/u/.pgpass");
    EXPECT_EQ(geo::redactConnection("PG:dbname=my_password=x"), "PG:dbname=my_password=x");
    EXPECT_EQ(geo::redactConnection("PG:service=planning"), "PG:service=planning");
    EXPECT_EQ(geo::redactConnection("/data/plan.gpkg"), "/data/plan.gpkg");
}

TEST(PostGisSource, RedactsUriPasswords) {
    EXPECT_EQ(geo::redactConnection("PG:postgresql://planner:secret@db.example/plan"),
              "PG:postgresql://planner@db.example/plan");
    EXPECT_EQ(geo::redactConnection("PG:postgresql://planner@db/plan?password=secret&sslmode=require"),
              "PG:postgresql://planner@db/plan?sslmode=require");
    EXPECT_EQ(geo::redactConnection("PG:postgresql://db/plan?sslmode=require&password=secret"),
              "PG:postgresql://db/plan?sslmode=require");
    EXPECT_EQ(geo::redactConnection("PG:postgresql://planner@db/plan"), "PG:postgresql://planner@db/plan");
}

TEST(PostGisSource, RedactsPasswordsQuotedInMessages) {
    const std::string msg = "`PG:dbname=plan password=secret' not recognized; \"password=secret\" again";
    const std::string r = geo::redactConnection(msg);
    EXPECT_EQ(r.find("secret"), std::string::npos) << r;
    EXPECT_NE(r.find("dbname=plan"), std::string::npos) << r;
}

TEST(PostGisSource, ProjectKeepsTheConnectionWithoutItsPassword) {
    geo::Project p;
    geo::ProjectLayer l;
    l.name = "parcels";
    l.source = "PG:host=/run/postgresql dbname=plan user=planner password=secret";
    l.layer = "planning.parcels";
    l.options.filter = {0, 0, 10, 10};  // per view: never saved
    l.options.simplifyTolerance = 2;
    p.layers.push_back(l);
    const std::string text = geo::serializeProject(p, "/home/u/projects");
    EXPECT_EQ(text.find("secret"), std::string::npos) << text;
    EXPECT_EQ(text.find("simplif"), std::string::npos) << text;
    const geo::Project back = geo::parseProject(text, "/home/u/projects", "p.atlas.json");
    ASSERT_EQ(back.layers.size(), 1u);
    // Not taken for a path relative to the project's folder.
    EXPECT_EQ(back.layers[0].source, "PG:host=/run/postgresql dbname=plan user=planner");
    EXPECT_EQ(back.layers[0].layer, "planning.parcels");
    EXPECT_TRUE(back.layers[0].options.filter.empty());
    EXPECT_EQ(back.layers[0].options.simplifyTolerance, 0);
}

TEST(PostGisSource, ListingAnUnreachableServerNamesItWithoutThePassword) {
    // A socket folder with no server: libpq fails at once, no network involved.
    const std::string src = "PG:host=/nonexistent/planatlas-socket port=1 dbname=plan password=secret";
    try {
        geo::listLayers(src);
        FAIL() << "listed layers of a server that is not there";
    } catch (const geo::IoError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find("secret"), std::string::npos) << what;
        EXPECT_NE(what.find("dbname=plan"), std::string::npos) << what;
        EXPECT_NE(what.find("cannot connect"), std::string::npos) << what;
    }
    try {
        geo::readVectorLayer(src, "parcels");
        FAIL() << "read a layer of a server that is not there";
    } catch (const geo::IoError& e) {
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("file not found"), std::string::npos) << e.what();
    }
}

}  // namespace
