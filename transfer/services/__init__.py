"""Import runs (`runs`) and streamed exports (`exports`)."""
