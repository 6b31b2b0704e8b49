#include "tiles/tile_grid.hpp"
