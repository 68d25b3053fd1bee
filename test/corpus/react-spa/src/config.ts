export const config = {
  apiBase: import.meta.env.VITE_API_BASE ?? "/api",
  socketUrl: "ws://realtime.shop-example.com/socket",
};
