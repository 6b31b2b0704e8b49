#include "tiles/wmts.hpp"
