#include "tiles/tile_warp.hpp"
