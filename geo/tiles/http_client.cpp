#include "tiles/http_client.hpp"
