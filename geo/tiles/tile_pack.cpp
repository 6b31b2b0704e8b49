#include "tiles/tile_pack.hpp"
