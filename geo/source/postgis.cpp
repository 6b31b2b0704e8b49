#include "source/postgis.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <ogrsf_frmts.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <regex>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"

// Index:
// [SECTION] Redaction
// [SECTION] Connecting and listing
// [SECTION] Server-side simplification (an SQL result set read as the table)
// [SECTION] openDatabaseLayer

namespace geo {

// [SECTION] Redaction

namespace {

bool startsWithNoCase(const std::string& s, size_t at, std::string_view word) {
    if (s.size() - at < word.size()) return false;
    for (size_t k = 0; k < word.size(); ++k)
        if (std::tolower(static_cast<unsigned char>(s[at + k])) != word[k]) return false;
    return true;
}

// At `at`, a `password = value` or `sslpassword = value` pair starting a token: returns where it ends (past its
// value), or `at` when there is none. Values follow libpq: '...' with backslash escapes, or up to whitespace.
size_t passwordPairEnd(const std::string& s, size_t at) {
    if (at > 0) {
        const char before = s[at - 1];
        if (!std::isspace(static_cast<unsigned char>(before)) && before != ':' && before != '\'' && before != '"' &&
            before != '(')
            return at;
    }
    size_t i = at;
    if (startsWithNoCase(s, i, "sslpassword"))
        i += 11;
    else if (startsWithNoCase(s, i, "password"))
        i += 8;
    else
        return at;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size() || s[i] != '=') return at;
    ++i;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size() && s[i] == '\'') {
        for (++i; i < s.size() && s[i] != '\''; ++i)
            if (s[i] == '\\') ++i;
        return std::min(i + 1, s.size());
    }
    for (; i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != '\'' && s[i] != '"'; ++i)
        if (s[i] == '\\') ++i;
    return std::min(i, s.size());
}

std::string redactPairs(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        const size_t end = passwordPairEnd(s, i);
        if (end == i) {
            out += s[i++];
            continue;
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();  // "a=1 password=x b=2" -> "a=1 b=2"
        i = end;
        if (out.empty() || out.back() == ':' || out.back() == '\'' || out.back() == '"')
            while (i < s.size() && s[i] == ' ') ++i;  // "PG:password=x dbname=d" -> "PG:dbname=d"
    }
    return out;
}

}  // namespace

bool isDatabaseSource(const std::string& source) {
    return startsWithNoCase(source, 0, "pg:");
}

std::string redactConnection(const std::string& text) {
    std::string s = redactPairs(text);
    if (s.find("://") == std::string::npos) return s;
    // URIs: postgresql://user:secret@host -> postgresql://user@host; ?password=secret& -> ?
    static const std::regex kUserInfo(R"(((?:postgres|postgresql)://[^:/@\s]*):[^@\s]*@)", std::regex::icase);
    static const std::regex kQuery(R"(([?&])(?:ssl)?password=[^&\s]*&?)", std::regex::icase);
    s = std::regex_replace(s, kUserInfo, "$1@");
    s = std::regex_replace(s, kQuery, "$1");
    if (!s.empty() && (s.back() == '?' || s.back() == '&')) s.pop_back();
    return s;
}

// [SECTION] Connecting and listing

namespace {

// A message with libpq's line breaks and tabs folded into one line, and no password in it.
std::string oneLine(const std::string& text) {
    std::string msg = redactConnection(text), out;
    for (char c : msg) {
        const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string serverMessage(const std::string& fallback) {
    return oneLine(lastGdalError(fallback));
}

// A server that does not answer fails within seconds instead of libpq's default of waiting for ever.
std::string withConnectTimeout(const std::string& source) {
    if (source.find("connect_timeout") != std::string::npos || source.find("://") != std::string::npos) return source;
    return source + " connect_timeout=10";
}

GDALDatasetUniquePtr connect(const std::string& source, bool listAll) {
    CPLStringList options;
    if (listAll) options.AddNameValue("LIST_ALL_TABLES", "YES");  // views and tables not in geometry_columns
    std::string err;
    auto ds = openDataset(withConnectTimeout(source), GDAL_OF_VECTOR, options.List(), err);
    if (!ds) throw IoError(redactConnection(source), "", "cannot connect to the database: " + oneLine(err));
    return ds;
}

std::string quoteIdent(const std::string& name) {
    std::string q = "\"";
    for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// "schema.table" or "table", without GDAL's "(geometry column)" suffix of tables with several, quoted for SQL.
std::string quotedTable(const std::string& layer) {
    std::string name = layer;
    if (!name.empty() && name.back() == ')')
        if (size_t open = name.rfind('('); open != std::string::npos) name.resize(open);
    const size_t dot = name.find('.');
    if (dot == std::string::npos) return quoteIdent(name);
    return quoteIdent(name.substr(0, dot)) + "." + quoteIdent(name.substr(dot + 1));
}

}  // namespace

std::vector<SourceLayerInfo> listDatabaseLayers(const std::string& source) {
    auto ds = connect(source, true);
    std::vector<SourceLayerInfo> out;
    for (OGRLayer* l : ds->GetLayers()) {
        // Reading the definition asks the server for the columns; tables without geometry are no map layers.
        if (l->GetLayerDefn()->GetGeomFieldCount() == 0) continue;
        out.push_back({l->GetName(), false, -1});  // counting rows would scan every big table: unknown
    }
    if (out.empty())
        throw IoError(redactConnection(source), "", "the database has no table or view with a geometry column");
    return out;
}

// [SECTION] Server-side simplification (an SQL result set read as the table)

namespace {

struct ResultSetRelease {
    GDALDataset* ds = nullptr;
    void operator()(OGRLayer* l) const {
        if (ds && l) ds->ReleaseResultSet(l);
    }
};
using ResultSet = std::unique_ptr<OGRLayer, ResultSetRelease>;

ResultSet executeSql(GDALDataset& ds, const std::string& sql, const std::string& shown, const std::string& layer) {
    CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);  // the message goes into the IoError, not to stderr
    CPLErrorReset();
    ResultSet r(ds.ExecuteSQL(sql.c_str(), nullptr, nullptr), ResultSetRelease{&ds});
    if (!r || CPLGetLastErrorType() >= CE_Failure)
        throw IoError(shown, layer, "the query failed: " + serverMessage("no result"));
    return r;
}

// The rows of an SQL result set presented as the table they came from: the table's name, schema, FIDs and CRS,
// so that a simplified read gives the same columns as a plain one. The result's count would run the query a
// second time, so it is only counted when asked to force it.
class TableView final : public OGRLayer {
public:
    TableView(OGRLayer& table, ResultSet rows) : table_(table), rows_(std::move(rows)) {
        OGRFeatureDefn* in = rows_->GetLayerDefn();
        const std::string fidName = table_.GetFIDColumn() ? table_.GetFIDColumn() : "";
        const bool resultHasFid = rows_->GetFIDColumn() && EQUAL(rows_->GetFIDColumn(), fidName.c_str());
        for (int i = 0; i < in->GetFieldCount(); ++i) {
            const char* name = in->GetFieldDefn(i)->GetNameRef();
            if (!fidName.empty() && !resultHasFid && EQUAL(name, fidName.c_str())) fidField_ = i;
            fieldMap_.push_back(table_.GetLayerDefn()->GetFieldIndex(name));
        }
        if (fidField_ >= 0) fieldMap_[fidField_] = -1;
    }

    const char* GetName() override { return table_.GetName(); }
    OGRFeatureDefn* GetLayerDefn() override { return table_.GetLayerDefn(); }
    OGRSpatialReference* GetSpatialRef() override { return table_.GetSpatialRef(); }
    OGRwkbGeometryType GetGeomType() override { return table_.GetGeomType(); }
    const char* GetFIDColumn() override { return table_.GetFIDColumn(); }
    void ResetReading() override { rows_->ResetReading(); }
    int TestCapability(const char*) override { return FALSE; }
    GIntBig GetFeatureCount(int force) override { return force ? rows_->GetFeatureCount(TRUE) : -1; }

    OGRFeature* GetNextFeature() override {
        OGRFeatureUniquePtr row(rows_->GetNextFeature());
        if (!row) return nullptr;
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(table_.GetLayerDefn()));
        f->SetFieldsFrom(row.get(), fieldMap_.data(), TRUE);
        f->SetFID(fidField_ >= 0 ? row->GetFieldAsInteger64(fidField_) : row->GetFID());
        f->SetGeometryDirectly(row->StealGeometry());
        return f.release();
    }

private:
    OGRLayer& table_;
    ResultSet rows_;
    std::vector<int> fieldMap_;  // result field -> table field (-1: the FID, or not a table column)
    int fidField_ = -1;          // the table's key came back as a plain column
};

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// The geometry column's SRID and whether it is geography, from its first non-null value (views and tables not
// registered in geometry_columns included).
struct GeometryColumn {
    int srid = 0;
    bool geography = false;
    bool empty = true;  // no non-null geometry at all
};

GeometryColumn probeGeometry(GDALDataset& ds,
                             const std::string& table,
                             const std::string& geom,
                             const std::string& shown,
                             const std::string& layer) {
    const std::string g = quoteIdent(geom);
    ResultSet r = executeSql(ds,
                             "SELECT ST_SRID(" + g + "::geometry) AS srid, pg_typeof(" + g + ")::text AS type FROM " +
                                 table + " WHERE " + g + " IS NOT NULL LIMIT 1",
                             shown,
                             layer);
    GeometryColumn c;
    if (OGRFeatureUniquePtr f(r->GetNextFeature()); f) {
        c.srid = f->GetFieldAsInteger(0);
        c.geography = EQUAL(f->GetFieldAsString(1), "geography");
        c.empty = false;
    }
    return c;
}

// SELECT <key>, <columns>, ST_SimplifyPreserveTopology(<geom>, tol) FROM <table> [WHERE <geom> && <box>]
std::string simplifiedSql(OGRLayer& table,
                          const std::string& quoted,
                          const GeometryColumn& column,
                          const SourceOptions& options) {
    const std::string g = quoteIdent(table.GetGeometryColumn());
    std::string sql = "SELECT ";
    if (const char* fid = table.GetFIDColumn(); fid && *fid) sql += quoteIdent(fid) + ", ";
    OGRFeatureDefn* defn = table.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) sql += quoteIdent(defn->GetFieldDefn(i)->GetNameRef()) + ", ";
    sql += "ST_SimplifyPreserveTopology(" + g + (column.geography ? "::geometry" : "") + ", " +
           number(options.simplifyTolerance) + ") AS " + g + " FROM " + quoted;
    if (!options.filter.empty()) {
        const BBox& b = options.filter;
        std::string box = "ST_MakeEnvelope(" + number(b.minX) + ", " + number(b.minY) + ", " + number(b.maxX) + ", " +
                          number(b.maxY) + ", " + std::to_string(column.srid) + ")";
        sql += " WHERE " + g + " && " + box + (column.geography ? "::geography" : "");
    }
    return sql;
}

// A layer without a key (a view) that has an integer "fid" column GDAL did not take as its key.
bool keyOfView(OGRLayer& layer) {
    if (layer.GetFIDColumn() && *layer.GetFIDColumn()) return false;
    const int i = layer.GetLayerDefn()->GetFieldIndex("fid");
    if (i < 0) return false;
    const OGRFieldType t = layer.GetLayerDefn()->GetFieldDefn(i)->GetType();
    return t == OFTInteger || t == OFTInteger64;
}

}  // namespace

// [SECTION] openDatabaseLayer

struct DatabaseLayer::Handles {
    GDALDatasetUniquePtr ds;         // declared first: closed last
    std::unique_ptr<OGRLayer> view;  // a TableView holding the result set, released before the connection
    OGRLayer* layer = nullptr;
    std::string sql;
};

DatabaseLayer::DatabaseLayer(std::unique_ptr<Handles> h) : h_(std::move(h)) {}
DatabaseLayer::DatabaseLayer(DatabaseLayer&&) noexcept = default;
DatabaseLayer& DatabaseLayer::operator=(DatabaseLayer&&) noexcept = default;
DatabaseLayer::~DatabaseLayer() {
    if (h_) h_->view.reset();
}
GDALDataset* DatabaseLayer::dataset() const {
    return h_->ds.get();
}
OGRLayer* DatabaseLayer::layer() const {
    return h_->layer;
}
const std::string& DatabaseLayer::sql() const {
    return h_->sql;
}

DatabaseLayer openDatabaseLayer(const std::string& source, const std::string& layerName, const SourceOptions& options) {
    const std::string shown = redactConnection(source);
    auto h = std::make_unique<DatabaseLayer::Handles>();
    h->ds = connect(source, layerName.empty());
    CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);  // what the server says goes into the IoError
    CPLErrorReset();
    OGRLayer* table = nullptr;
    if (layerName.empty()) {
        for (OGRLayer* l : h->ds->GetLayers())
            if (l->GetLayerDefn()->GetGeomFieldCount() > 0) {
                table = l;
                break;
            }
        if (!table) throw IoError(shown, "", "the database has no table or view with a geometry column");
    } else {
        table = h->ds->GetLayerByName(layerName.c_str());
        if (table && keyOfView(*table)) {
            // A view has no primary key; GDAL takes an "ogc_fid" column as its key, and here "fid" (GeoPackage's
            // and ogr2ogr's) too, so that its features keep their ids from one filtered read to the next.
            CPLConfigOptionSetter key("PGSQL_OGR_FID", "fid", false);  // this thread only, while it lives
            h->ds = connect(source, false);
            table = h->ds->GetLayerByName(layerName.c_str());
        }
        if (!table)
            throw IoError(shown,
                          layerName,
                          "no such table or view in the database (or no SELECT permission on it)" +
                              (CPLGetLastErrorType() >= CE_Failure ? ": " + serverMessage("") : std::string()));
    }
    if (table->GetLayerDefn()->GetGeomFieldCount() == 0)
        throw IoError(shown, table->GetName(), "the table or view has no geometry column");
    h->layer = table;
    if (options.simplifyTolerance > 0 && std::isfinite(options.simplifyTolerance)) {
        const std::string quoted = quotedTable(table->GetName());
        const GeometryColumn column =
            probeGeometry(*h->ds, quoted, table->GetGeometryColumn(), shown, table->GetName());
        if (!column.empty) {
            h->sql = simplifiedSql(*table, quoted, column, options);
            h->view = std::make_unique<TableView>(*table, executeSql(*h->ds, h->sql, shown, table->GetName()));
            h->layer = h->view.get();
        }
    } else if (!options.filter.empty()) {
        const BBox& b = options.filter;
        table->SetSpatialFilterRect(b.minX, b.minY, b.maxX, b.maxY);  // `geom && box` on the server
    }
    return DatabaseLayer(std::move(h));
}

VectorData readDatabaseLayer(const std::string& source,
                             const std::string& layerName,
                             JobProgress* progress,
                             const SourceOptions& options,
                             OpenLayerReader read) {
    const std::string shown = redactConnection(source);
    if (progress) progress->set(0.0f, "querying the database");
    DatabaseLayer db = openDatabaseLayer(source, layerName, options);
    VectorData out;
    try {
        out = read(db.dataset(), db.layer(), shown, layerName, false, progress, options);
    } catch (const FormatError& e) {
        // Nothing came back because the server failed (connection lost, query cancelled): an I/O error.
        if (CPLGetLastErrorType() < CE_Failure) throw;
        throw IoError("", "", redactConnection(e.what()));
    }
    out.rowsFetched = out.table.featureCount();
    if (CPLGetLastErrorType() >= CE_Failure)  // the reader keeps what came before an error; a table must be whole
        throw IoError(shown,
                      out.layerName,
                      "the connection failed after " + std::to_string(out.rowsFetched) +
                          " rows: " + serverMessage("unknown error"));
    return out;
}

}  // namespace geo
