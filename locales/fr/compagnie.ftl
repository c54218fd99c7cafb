## Réponses générales

error-internal = Désolé, quelque chose n'a pas fonctionné de notre côté. Réessayez dans un moment.
refused-not-registered = Je ne vous connais pas encore : écrivez-moi /start en message privé pour vous inscrire.
