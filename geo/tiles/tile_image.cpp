#include "tiles/tile_image.hpp"
