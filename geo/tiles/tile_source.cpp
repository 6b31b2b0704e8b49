#include "tiles/tile_source.hpp"
