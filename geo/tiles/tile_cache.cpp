#include "tiles/tile_cache.hpp"
