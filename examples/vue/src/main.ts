import {createApp} from 'vue'
import 'identity-verify'
import type {} from 'identity-verify/vue'
import App from './App.vue'

createApp(App).mount('#app')
