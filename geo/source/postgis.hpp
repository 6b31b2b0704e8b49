#pragma once
// PostgreSQL/PostGIS layer sources (issue #11), read through GDAL's PostgreSQL driver.
//
// A source is a libpq connection string behind "PG:" ("PG:dbname=plan host=/run/postgresql port=5433",
// "PG:service=planning" for a pg_service.conf entry, or "PG:postgresql://user@host/plan"); the layer is a table
// or view with a geometry column, "schema.table" or "table" in the search path. The server does the work a view
// needs: SourceOptions::filter becomes `geom && box` (its GiST index), and SourceOptions::simplifyTolerance runs
// ST_SimplifyPreserveTopology on the server, so a zoomed-in view of a big table fetches only its rows.
//
// Credentials: a connection string may carry password=...; it is passed to libpq and never shown or saved.
// redactConnection() is what project files, export sidecars, error messages and logs get. Passwords belong in
// ~/.pgpass (or $PGPASSFILE) or the service file.
//
// Features keep their ids from one read to the next: a table's are its primary key; a view's are its "ogc_fid"
// or "fid" column when it has one (carry the table's key through), otherwise rows are numbered as they come.
//
// Every read opens its own connection and closes it when done, so a dropped server only fails that read, and
// the next read (a retry) reconnects.
#include <memory>
#include <string>
#include <vector>

#include "source/source_options.hpp"
#include "source/vector_source.hpp"

class GDALDataset;
class OGRLayer;

namespace geo {

// True for sources on a database server rather than in a file: "PG:..." (any case).
bool isDatabaseSource(const std::string& source);

// `text` with every password taken out: libpq's `password=...` and `sslpassword=...` pairs (quoted or not) and
// the password of a postgresql:// URI (`user:secret@` and `?password=`). Works on sources and on any message
// that may quote one; text without a password comes back unchanged.
std::string redactConnection(const std::string& text);

// The tables and views of the database that have a geometry column, named as readVectorLayer() takes them.
// Throws IoError (named by the redacted source) when the server cannot be reached or refuses the login.
std::vector<SourceLayerInfo> listDatabaseLayers(const std::string& source);

// One table or view opened for reading, as `options` ask (box filter, server-side simplification). Owns the
// connection and the layer that yields the rows; the layer may *not* outlive this object. Read it once, from one
// thread (a GDAL connection is not shared between threads).
class DatabaseLayer {
public:
    DatabaseLayer(DatabaseLayer&&) noexcept;
    DatabaseLayer& operator=(DatabaseLayer&&) noexcept;
    ~DatabaseLayer();  // releases the SQL result set before it closes the connection

    GDALDataset* dataset() const;
    OGRLayer* layer() const;  // named as the table; GetSpatialRef() is the table's
    // The SQL the server runs for a simplified read; empty when the table layer is read with a box filter.
    const std::string& sql() const;

    struct Handles;

private:
    explicit DatabaseLayer(std::unique_ptr<Handles> h);
    std::unique_ptr<Handles> h_;
    friend DatabaseLayer openDatabaseLayer(const std::string&, const std::string&, const SourceOptions&);
};

// Connects and opens `layer` ("" = the first table with geometry). Throws IoError naming the redacted source
// and the server's reason (connection refused, authentication failed, no such table or view).
DatabaseLayer openDatabaseLayer(const std::string& source, const std::string& layer, const SourceOptions& options);

// How readVectorLayer reads a layer once it is open (vector_source.cpp); `shownPath` is what messages name.
using OpenLayerReader = VectorData (*)(GDALDataset* ds,
                                       OGRLayer* layer,
                                       const std::string& shownPath,
                                       const std::string& layerName,
                                       bool raw,
                                       JobProgress* progress,
                                       const SourceOptions& options);

// readVectorLayer for PG: sources: opens the layer as `options` ask and reads it with `read`. Sets rowsFetched;
// names the source without its password; a connection lost part-way fails the read (IoError) rather than
// returning part of the table.
VectorData readDatabaseLayer(const std::string& source,
                             const std::string& layer,
                             JobProgress* progress,
                             const SourceOptions& options,
                             OpenLayerReader read);

}  // namespace geo
