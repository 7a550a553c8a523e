export interface App { readonly version: string }
