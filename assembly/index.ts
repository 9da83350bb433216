export function ping(): i32 { return 42; }
