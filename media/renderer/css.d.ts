// CSS imported as text (esbuild.mjs gives the renderer build loader '.css': 'text'), for the notebook renderer's shadow root.
declare module '*.css' {
  const text: string;
  export default text;
}
