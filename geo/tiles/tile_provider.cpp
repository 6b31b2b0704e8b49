#include "tiles/tile_provider.hpp"
