#include "tiles/tile_store.hpp"
